"""The front's configuration: `strangler.toml` validated by pydantic-settings, env vars override.

The file is found from `--config`, else `STRANGLER_CONFIG`, else `./strangler.toml`. Any value can
be overridden by an environment variable `STRANGLER_<SECTION>__<KEY>` (e.g.
`STRANGLER_LEGACY__THREADS=32`). Errors name the bad key and its line in the file.
"""

from __future__ import annotations

import os
import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from proxy.admin_tokens import AdminSettings
from proxy.parity.config import ParitySettings, RouteParity
from proxy.store.settings import StoreSettings

CONFIG_ENV_VAR = "STRANGLER_CONFIG"
DEFAULT_CONFIG_FILE = "strangler.toml"

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RouteMode(StrEnum):
    """Who answers a migrated route; the cutover issue adds `shadow` and `canary` in between."""

    LEGACY = "legacy"
    NEW = "new"
    RETIRED = "retired"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LegacySettings(Section):
    app: str = Field(
        description="`module:attr` of the legacy WSGI app, or of a factory returning it"
    )
    bridge: Literal["fast", "a2wsgi"] = "fast"
    threads: int = Field(16, ge=1, le=1024, description="legacy worker threads")
    max_pending: int = Field(
        64, ge=0, description="requests allowed to wait for a legacy thread before 503"
    )
    legacy_timeout: float = Field(30.0, gt=0, description="seconds before a legacy call gets 504")
    retry_after: int = Field(1, ge=0, description="Retry-After seconds sent with 503")
    buffer_body_below: int = Field(
        65536, ge=0, description="request bodies of known length up to this are read up front"
    )
    buffer_response_below: int = Field(
        1048576,
        ge=0,
        description="responses with Content-Length up to this are joined in the thread",
    )


class MigratedSettings(Section):
    app: str | None = Field(None, description="`module:attr` of a FastAPI app or APIRouter")


class RouteSettings(Section):
    path: str
    methods: tuple[str, ...] = ("GET",)
    mode: RouteMode = RouteMode.LEGACY
    rate_limit: str | None = None
    parity: RouteParity = RouteParity()  # read by `strangler parity` (proxy/parity/config.py)

    @field_validator("path")
    @classmethod
    def _path_is_absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with '/'")
        return value

    @field_validator("methods", mode="before")
    @classmethod
    def _methods_upper(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple):
            upper = tuple(str(method).upper() for method in value)
            unknown = sorted(set(upper) - HTTP_METHODS)
            if unknown:
                raise ValueError(f"unknown HTTP method(s): {', '.join(unknown)}")
            if not upper:
                raise ValueError("at least one method is needed")
            return upper
        return value


class PathSettings(Section):
    max_length: int = Field(2048, ge=16, description="longer request paths get 414")


class ProxySettings(Section):
    trusted_proxies: tuple[str, ...] = Field(
        (), description="peers whose X-Forwarded-* headers are believed (IPs or CIDRs)"
    )
    strip_untrusted_forwarded: bool = True


class EdgeSettings(Section):
    rate_limit: str | None = Field(None, description="per client, e.g. '100/second'")
    rate_limit_storage: str = Field("memory://", description="limits storage URI (redis://...)")
    security_headers: bool = False
    hsts_seconds: int = 0
    cors_allow_origins: tuple[str, ...] = ()
    cors_allow_methods: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
    cors_allow_headers: tuple[str, ...] = ("*",)
    cors_allow_credentials: bool = False
    trusted_hosts: tuple[str, ...] = ()
    max_body_bytes: int = Field(0, ge=0, description="0 means no limit")


class ObservabilitySettings(Section):
    access_log: bool = True
    metrics_path: str = "/metrics"
    request_id_header: str = "X-Request-ID"


class HealthSettings(Section):
    live_path: str = "/healthz"
    ready_path: str = "/readyz"
    legacy_probe_path: str = "/"
    database_url: str | None = Field(
        None, description="checked by /readyz; defaults to the DATABASE_URL environment variable"
    )
    timeout: float = 2.0


class ServerSettings(Section):
    cpu_affinity: Literal["auto"] | tuple[int, ...] = Field(
        (),
        description="keep each front process on one core: 'auto' (any free core) or a list of"
        " core numbers to take one from; empty (the default) leaves scheduling to the OS",
    )

    @field_validator("cpu_affinity")
    @classmethod
    def _cores_are_numbers(cls, value: Any) -> Any:
        if isinstance(value, tuple) and any(core < 0 for core in value):
            raise ValueError("core numbers start at 0")
        return value


class CanarySettings(Section):
    cookie_secret: SecretStr | None = Field(
        None,
        description="HMAC key of the canary's sticky client cookie and buckets (at least 16"
        " characters; the same in every worker and host). Unset: a random key per process",
    )
    secure_cookie: bool = Field(False, description="mark the canary cookie Secure (HTTPS only)")

    @field_validator("cookie_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value


class StranglerSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="STRANGLER_",
        env_nested_delimiter="__",
        extra="ignore",
        frozen=True,
    )

    legacy: LegacySettings
    migrated: MigratedSettings = MigratedSettings()
    routes: tuple[RouteSettings, ...] = ()
    paths: PathSettings = PathSettings()
    proxy: ProxySettings = ProxySettings()
    edge: EdgeSettings = EdgeSettings()
    observability: ObservabilitySettings = ObservabilitySettings()
    health: HealthSettings = HealthSettings()
    server: ServerSettings = ServerSettings()
    parity: ParitySettings = ParitySettings()  # read by `strangler parity` (proxy/parity/config.py)
    store: StoreSettings = StoreSettings()  # the live state: proxy/store/settings.py
    admin: AdminSettings = AdminSettings()  # admin API tokens: proxy/admin_tokens.py
    canary: CanarySettings = CanarySettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # env vars first (they win), then what the file said (passed as init kwargs).
        return env_settings, init_settings


class ConfigError(Exception):
    """A configuration problem, already phrased for a person: file, line, key, what is wrong."""


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get(CONFIG_ENV_VAR) or DEFAULT_CONFIG_FILE)


def load_settings(path: str | os.PathLike[str] | None = None) -> StranglerSettings:
    """Read and validate the config file; raise ConfigError naming the key and line on bad input."""
    file = config_path(path)
    try:
        text = file.read_text()
    except FileNotFoundError:
        raise ConfigError(
            f"{file}: cannot read the config file (no such file); give one with --config FILE "
            f"or ${CONFIG_ENV_VAR}"
        ) from None
    except OSError as error:
        raise ConfigError(f"{file}: cannot read the config file ({error.strerror})") from None
    return parse_settings(text, str(file))


def parse_settings(text: str, source: str = DEFAULT_CONFIG_FILE) -> StranglerSettings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    unknown = _unknown_keys(data)
    if unknown:
        raise ConfigError(
            "\n".join(
                f"{source}:{key_line(text, loc)}: {_dotted(loc)}: unknown key" for loc in unknown
            )
        )
    try:
        return StranglerSettings(**data)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            loc = tuple(problem["loc"])
            lines.append(f"{source}:{key_line(text, loc)}: {_dotted(loc)}: {problem['msg']}")
        raise ConfigError("\n".join(lines)) from None


def _unknown_keys(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Keys the file has that no section knows (env vars may carry extras; the file may not)."""
    unknown: list[tuple[str | int, ...]] = []
    fields = StranglerSettings.model_fields
    for key, value in data.items():
        if key not in fields:
            unknown.append((key,))
            continue
        annotation = fields[key].annotation
        if key == "routes" and isinstance(value, list):
            for index, route in enumerate(value):
                if isinstance(route, dict):
                    unknown += [
                        (key, index, name)
                        for name in route
                        if name not in RouteSettings.model_fields
                    ]
        elif (
            isinstance(value, dict)
            and isinstance(annotation, type)
            and issubclass(annotation, BaseModel)
        ):
            unknown += [(key, name) for name in value if name not in annotation.model_fields]
    return unknown


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_TABLE_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


def key_line(text: str, loc: tuple[str | int, ...]) -> int:
    """The 1-based line where `loc` (a pydantic error location) is set, or its table's header line.

    tomllib keeps no positions, so this scans the text: table headers (`[a]`, `[[routes]]`, with a
    counter per array of tables) and `key =` lines inside them; top-level keys before any header.
    Falls back to line 1 when nothing matches (e.g. a value that came from an env var).
    """
    table: tuple[str | int, ...] = ()
    array_counts: dict[str, int] = {}
    best_line, best_depth = 1, -1
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            name = header.group(2).replace('"', "").strip()
            parts: tuple[str | int, ...] = tuple(name.split("."))
            if header.group(1) == "[[":
                index = array_counts.get(name, -1) + 1
                array_counts[name] = index
                parts = (*parts, index)
            table = parts
            depth = _common_prefix(table, loc)
            if depth == len(table) and depth > best_depth:
                best_line, best_depth = number, depth
            continue
        key = _KEY_LINE.match(line)
        if key:
            full = (*table, key.group(1).strip('"'))
            depth = _common_prefix(full, loc)
            if depth == len(full) and depth > best_depth:
                best_line, best_depth = number, depth
    return best_line


def _common_prefix(a: tuple[str | int, ...], b: tuple[str | int, ...]) -> int:
    depth = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        depth += 1
    return depth
