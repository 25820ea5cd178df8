"""The `[parity]` table of strangler.toml and the `parity` sub-table of each route.

They are tables of the one model of strangler.toml (`proxy.settings.StranglerSettings`); parity
reads the file through that model (`proxy.parity.config`). Example:

    [parity]
    max_examples = 25
    phases = ["examples", "coverage", "fuzzing"]
    ignore = ["$..request_id"]            # JSON/rows path patterns ignored on every route
    ignore_headers = ["etag"]
    recorded = ["traffic.jsonl"]          # real requests, one JSON object a line
    cases = ["hand_written.jsonl"]        # hand-written requests, same format
    [parity.env]                          # set before the apps are imported
    SHOP_DATABASE = "var/shop.db"
    [parity.curl]                         # base URLs the curl reproductions name
    legacy = "http://127.0.0.1:5000"
    new = "http://127.0.0.1:8000"
    [parity.database]                     # restored before every call so both sides start equal
    url = "sqlite:///var/shop.db"
    [[parity.users]]                      # identities besides anonymous
    name = "alice"
    login = { method = "POST", path = "/api/login", json = { username = "alice", password = "pw" } }

    [[routes]]
    path = "/api/products/{id}"
    methods = ["GET"]
    mode = "new"
    parity = { ignore = ["$.updated_at"], ignore_headers = ["x-served-by"] }
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from proxy.config_error import ConfigError
from proxy.diff import IgnoreRules
from proxy.diff.paths import PathPattern, PatternError
from proxy.redact import without_credentials

Phase = Literal["examples", "coverage", "fuzzing"]
ALL_PHASES: tuple[Phase, ...] = ("examples", "coverage", "fuzzing")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_patterns(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            PathPattern.parse(pattern)
        except PatternError as error:
            raise ValueError(str(error)) from None
    return patterns


class RouteParity(_Strict):
    """The `parity` sub-table of one `[[routes]]` entry."""

    ignore: list[str] = Field(default_factory=list)
    ignore_headers: list[str] = Field(default_factory=list)
    skip: bool = False

    _patterns = field_validator("ignore")(_check_patterns)


@lru_cache(maxsize=256)
def template_regex(template: str) -> re.Pattern[str]:
    """`/api/items/{id}` or `/api/items/{id:int}` as Starlette (and so the front) compiles it."""
    from starlette.routing import compile_path

    regex, _, _ = compile_path(template)
    return regex


class LoginRequest(_Strict):
    """The request that logs a user in on the legacy side. For a form protected by a CSRF token
    (Flask-WTF, Django), `csrf_page` is fetched first and the hidden `csrf_field` sent back."""

    method: str = "POST"
    path: str
    json_body: Any = Field(default=None, alias="json")
    form: dict[str, str] | None = None
    csrf_page: str | None = None
    csrf_field: str = "csrf_token"
    expect_status: list[int] | None = None


class User(_Strict):
    """An identity the cases also run as: a login request sent to the legacy side (its cookies are
    then sent to both sides) and/or fixed headers and cookies."""

    name: str
    login: LoginRequest | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    cookies: dict[str, str] = Field(default_factory=dict)


class Database(_Strict):
    """The database both sides use: `sqlite:///path` or `postgresql://...`. `${VAR}` in the URL
    is read from the environment when parity starts (so the front can load a config whose
    variable is not set)."""

    url: str

    @field_validator("url")
    @classmethod
    def _supported(cls, url: str) -> str:
        if "$" not in url and not url.startswith(("sqlite:///", "postgres")):
            raise ValueError(
                "parity restores SQLite (sqlite:///path) and PostgreSQL (postgresql://...) "
                "databases"
            )
        return url

    def resolved_url(self) -> str:
        url = os.path.expandvars(self.url)
        if "$" in url:
            raise ConfigError(f"[parity.database] url {self.url!r}: environment variable not set")
        if not url.startswith(("sqlite:///", "postgres")):
            raise ConfigError(
                f"[parity.database] url {without_credentials(url)!r}: not a SQLite or PostgreSQL"
                " URL"
            )
        return url

    @property
    def sqlite_path(self) -> Path:
        return Path(self.resolved_url().removeprefix("sqlite:///"))


DEFAULT_FRONT_URL = "http://127.0.0.1:8000"


class CurlBases(_Strict):
    """`[parity.curl]`: the base URLs the curl reproductions of an in-process run name (an HTTP
    run names its --legacy-url and --new-url). By default the front as `strangler serve` and
    `make demo` serve it; set `legacy` to where the legacy app alone is served to reproduce
    legacy's answer of a route the front sends to the new side."""

    legacy: str = DEFAULT_FRONT_URL
    new: str = DEFAULT_FRONT_URL

    @field_validator("legacy", "new")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise ValueError("a base URL starts with http:// or https://")
        return url.rstrip("/")


class ParitySettings(_Strict):
    """The `[parity]` table."""

    max_examples: int = Field(default=25, ge=1)
    seed: int | None = None
    phases: list[Phase] = Field(default_factory=lambda: list(ALL_PHASES))
    negative: bool = True
    openapi: str = "/openapi.json"
    ignore: list[str] = Field(default_factory=list)
    ignore_headers: list[str] = Field(default_factory=list)
    recorded: list[Path] = Field(default_factory=list)
    cases: list[Path] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    database: Database | None = None
    users: list[User] = Field(default_factory=list)
    anonymous: bool = True
    curl: CurlBases = Field(default_factory=CurlBases)

    _patterns = field_validator("ignore")(_check_patterns)

    def rules(self) -> IgnoreRules:
        return IgnoreRules(self.ignore, self.ignore_headers)
