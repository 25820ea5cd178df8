"""The front's configuration: `strangler.toml` validated by pydantic-settings, env vars override.

The file is found from `--config`, else `STRANGLER_CONFIG`, else `./strangler.toml`. Any value can
be overridden by an environment variable `STRANGLER_<SECTION>__<KEY>` (e.g.
`STRANGLER_LEGACY__THREADS=32`). Errors name the bad key and its line in the file.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from proxy.admin_tokens import AdminSettings
from proxy.analysis import RollbackThresholds
from proxy.config_error import ConfigError as ConfigError  # re-exported: one class for all
from proxy.parity.settings import ParitySettings, RouteParity
from proxy.shadow_settings import ShadowSettings
from proxy.store.settings import StoreSettings

CONFIG_ENV_VAR = "STRANGLER_CONFIG"
DEFAULT_CONFIG_FILE = "strangler.toml"

HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RouteMode(StrEnum):
    """A route's mode as strangler.toml names it (its initial mode; the store holds the live
    one). What each mode does is its class in `proxy.modes`."""

    LEGACY = "legacy"
    SHADOW = "shadow"
    CANARY = "canary"
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
    max_stuck_threads: int = Field(
        16,
        ge=0,
        description="threads still running past legacy_timeout that are replaced; one more and"
        " the worker asks to be restarted",
    )
    buffer_body_below: int = Field(
        65536, ge=0, description="deprecated and ignored: see [edge] body_buffer_memory"
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
    weight: int = Field(
        0, ge=0, le=100, description="canary: percent of clients the new side answers"
    )
    side_effect_free: bool = Field(
        False, description="shadow: mirror every method, not only GET/HEAD/OPTIONS"
    )
    shadow_sample: float = Field(
        1.0, ge=0.0, le=1.0, description="shadow: the share of requests mirrored (0.0-1.0)"
    )
    rate_limit: str | None = None
    allow_unmatched: bool = Field(
        False, description="accept a retired route that no legacy rule matches"
    )
    parity: RouteParity = RouteParity()  # read by `strangler parity` (proxy/parity/settings.py)
    rollback: RollbackThresholds = RollbackThresholds()  # automatic rollback: proxy/analysis.py

    @field_validator("path")
    @classmethod
    def _path_is_a_template(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with '/'")
        from starlette.convertors import CONVERTOR_TYPES

        for name, converter in re.findall(r"\{([^}:]*)(?::([^}]*))?\}", value):
            if converter and converter not in CONVERTOR_TYPES:
                known = ", ".join(sorted(CONVERTOR_TYPES))
                raise ValueError(
                    f"unknown converter {converter!r} in {{{name}:{converter}}} (known: {known})"
                )
        return value

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_parses(cls, value: str | None) -> str | None:
        return check_rate_limit(value)

    @field_validator("weight")
    @classmethod
    def _weight_is_for_canary(cls, value: int, info: ValidationInfo) -> int:
        if value and info.data.get("mode") not in (None, RouteMode.CANARY):
            raise ValueError('a weight is for mode = "canary" only')
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


def check_rate_limit(value: str | None) -> str | None:
    """`100/second`, `10 per minute`...: what the `limits` library parses ("" means none)."""
    if value:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a rate limit such as '100/second' or '10 per minute'"
            ) from None
    return value


class ProxySettings(Section):
    trusted_proxies: tuple[str, ...] = Field(
        (), description="peers whose X-Forwarded-* headers are believed (IPs or CIDRs)"
    )
    strip_untrusted_forwarded: bool = True

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or a CIDR network") from None
        return value


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
    body_timeout: float = Field(
        60.0, gt=0, description="seconds a request body may go without sending more; then 408"
    )
    body_min_rate: int = Field(
        500,
        ge=0,
        description="bytes/s a request body must average once body_timeout has passed; 0: off",
    )
    body_buffer_memory: int = Field(
        65536, ge=0, description="legacy request bodies above this are spooled to a temp file"
    )

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_parses(cls, value: str | None) -> str | None:
        return check_rate_limit(value)

    # Request-header limits and timeouts (proxy/request_checks.py, proxy/http_protocol.py).
    # Unlike the checks above they are on by default: an open default here is a hole.
    underscore_headers: Literal["drop", "refuse", "keep"] = Field(
        "drop", description="header names holding '_': dropped, refused with 400, or kept"
    )
    max_header_line: int = Field(
        8190, ge=64, description="bytes in one header line or the request line (431 / 414)"
    )
    max_header_count: int = Field(100, ge=1, description="header fields per request (431)")
    max_header_bytes: int = Field(32768, ge=64, description="all header lines together (431)")
    header_timeout: float = Field(
        10.0, gt=0, description="seconds a client has to send a request's headers"
    )
    # Longer than clients and load balancers reuse an idle connection (httpx 5 s, aiohttp 15 s,
    # AWS ALB and nginx upstreams 60 s): at equal timeouts the front closes first now and then,
    # on a client sending its next request (docs/ops.md, "Keep-alive").
    keepalive_timeout: float = Field(
        75.0, gt=0, description="seconds an idle keep-alive connection stays open (nginx's)"
    )


class ObservabilitySettings(Section):
    access_log: bool = True
    metrics_path: str = "/metrics"
    request_id_header: str = "X-Request-ID"

    @field_validator("request_id_header")
    @classmethod
    def _header_name_is_a_token(cls, value: str) -> str:
        if not HEADER_NAME.fullmatch(value):
            raise ValueError(f"{value!r} is not an HTTP header name (letters, digits, '-')")
        return value


class HealthSettings(Section):
    live_path: str = "/healthz"
    ready_path: str = "/readyz"
    legacy_probe_path: str = "/"
    database_url: str | None = Field(
        None, description="checked by /readyz; defaults to the DATABASE_URL environment variable"
    )
    timeout: float = 2.0
    listen: str | None = Field(
        None,
        description="'host:port' to serve the probes and the metrics on, off the public port",
    )

    @field_validator("listen")
    @classmethod
    def _listen_is_host_and_port(cls, value: str | None) -> str | None:
        if value is not None:
            listen_address(value)
        return value


def listen_address(value: str) -> tuple[str, int]:
    """`127.0.0.1:9100` or `[::1]:9100` as (host, port); ValueError when it is neither."""
    host, sep, port = value.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError("must be 'host:port' with a port from 1 to 65535, e.g. '127.0.0.1:9100'")
    return host, int(port)


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
    session_cookie: str | None = Field(
        None,
        description="the legacy session cookie whose user keeps a signed-in client on one side"
        " (default: the legacy app's own SESSION_COOKIE_NAME, Flask's or Django's)",
    )

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
    parity: ParitySettings = ParitySettings()  # `strangler parity`: proxy/parity/settings.py
    store: StoreSettings = StoreSettings()  # the live state: proxy/store/settings.py
    admin: AdminSettings = AdminSettings()  # admin API tokens: proxy/admin_tokens.py
    canary: CanarySettings = CanarySettings()
    shadow: ShadowSettings = ShadowSettings()  # shadow mode: proxy/shadow_settings.py

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
    return settings_from_data(data, text, source)


def settings_from_data(
    data: dict[str, Any], text: str = "", source: str = DEFAULT_CONFIG_FILE
) -> StranglerSettings:
    """Validate parsed TOML; `text` (the file's) gives the errors their line numbers."""
    unknown = _unknown_keys(data)
    if unknown:
        raise ConfigError(
            "\n".join(
                f"{source}:{key_line(text, loc)}: {_dotted(loc)}: unknown key" for loc in unknown
            )
        )
    overrides = unknown_overrides(os.environ)
    if overrides:
        raise ConfigError("\n".join(overrides))
    try:
        settings = StranglerSettings(**data)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            loc = tuple(problem["loc"])
            variable = _override_variable(loc)
            where = f"{source}:{key_line(text, loc)}" if variable is None else variable
            lines.append(f"{where}: {_dotted(loc)}: {problem['msg']}")
        raise ConfigError("\n".join(lines)) from None
    except SettingsError as error:  # an override pydantic-settings cannot even parse (bad JSON)
        raise ConfigError(f"environment override: {error}") from None
    problems = _route_problems(settings, text, source)
    if problems:
        raise ConfigError("\n".join(problems))
    return settings


ENV_PREFIX = "STRANGLER_"


def unknown_overrides(environ: Mapping[str, str]) -> list[str]:
    """`STRANGLER_<SECTION>__<KEY>` variables naming a section or key that does not exist.
    pydantic-settings ignores them, so a typo would silently change nothing. Variables that are
    not overrides (no `__` and no section name: STRANGLER_CONFIG...) are left alone."""
    problems = []
    fields = StranglerSettings.model_fields
    for variable in sorted(environ):
        if not variable.upper().startswith(ENV_PREFIX):
            continue
        parts = variable[len(ENV_PREFIX) :].lower().split("__")
        section = parts[0]
        if len(parts) == 1 and section not in fields:
            continue
        if section not in fields:
            problems.append(f"{variable}: overrides [{section}], which is not a config section")
            continue
        annotation = fields[section].annotation
        if (
            len(parts) > 1
            and isinstance(annotation, type)
            and issubclass(annotation, BaseModel)
            and parts[1] not in annotation.model_fields
        ):
            problems.append(f"{variable}: [{section}] has no key {parts[1]!r}")
    return problems


def _override_variable(loc: tuple[str | int, ...]) -> str | None:
    """The environment variable that set the value at `loc`, if one did."""
    wanted = {
        (ENV_PREFIX + "__".join(str(part) for part in loc[:depth])).upper()
        for depth in range(1, len(loc) + 1)
    }
    for variable in os.environ:
        if variable.upper() in wanted:
            return f"environment variable {variable}"
    return None


def _route_shape(path: str) -> str:
    """`/a/{id:int}` and `/a/{pk}` name the same route."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _route_problems(settings: StranglerSettings, text: str, source: str) -> list[str]:
    """Routes configured twice, and routes on a path the front answers itself."""
    problems = []
    first: dict[tuple[str, str], int] = {}
    front_paths = {settings.observability.metrics_path: "[observability] metrics_path"}
    if settings.health.listen is None:
        front_paths[settings.health.live_path] = "[health] live_path"
        front_paths[settings.health.ready_path] = "[health] ready_path"
    for index, route in enumerate(settings.routes):
        line = key_line(text, ("routes", index))
        for method in route.methods:
            earlier = first.setdefault((_route_shape(route.path), method), index)
            if earlier != index:
                problems.append(
                    f"{source}:{line}: routes[{index}]: {method} {route.path} is already routed"
                    f" by routes[{earlier}] (line {key_line(text, ('routes', earlier))});"
                    " remove one of them"
                )
                break
        if route.path in front_paths:
            problems.append(
                f"{source}:{line}: routes[{index}]: {route.path} is answered by the front itself"
                f" ({front_paths[route.path]}); the route would never be reached"
            )
    return problems


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
