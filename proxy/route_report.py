"""The rows of `strangler routes`: every legacy and migrated route, its configured and live
mode, who answers it (the live mode's class says, `proxy.modes`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from proxy.legacy_routes import list_legacy_routes
from proxy.loading import load_legacy_app, load_migrated_app
from proxy.migrated_routes import template_key
from proxy.modes.handlers import HandlerCheck
from proxy.modes.live import LiveTable
from proxy.paths import LEGACY, Verdict, decide
from proxy.route_checks import RouteProblem, front_paths, route_problems, sample_path
from proxy.route_table import Route, RouteTable
from proxy.settings import StranglerSettings


@dataclass(frozen=True)
class RouteRow:
    path: str  # FastAPI template syntax
    methods: tuple[str, ...]
    mode: str  # the live mode (the store's, else the file's)
    answered_by: str
    legacy: str | None  # the legacy rule as the legacy framework spells it
    migrated: str | None  # the migrated handler (module.function)
    configured_mode: str  # the file's mode
    weight: int = 0  # canary: percent of clients on new

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def route_report(settings: StranglerSettings, config_file: Path | None = None) -> list[RouteRow]:
    return inspect_routes(settings, config_file).rows


@dataclass(frozen=True)
class RouteInspection:
    rows: list[RouteRow]
    problems: list[RouteProblem]  # the same warnings and errors `strangler serve` gives
    migrated_error: str | None  # why the [migrated] app could not be loaded


def live_table(
    settings: StranglerSettings, config_file: Path | None, handlers: HandlerCheck
) -> tuple[RouteTable, list[RouteProblem]]:
    """The routes in their live modes, read once from the store the front reads."""
    from proxy.app import StartupError, store_for
    from proxy.store import default_store_url

    if settings.store.url is None and config_file is not None:
        default = Path(default_store_url(config_file).removeprefix("sqlite:///"))
        if not default.exists():  # no change was ever made: nothing to create for a listing
            return RouteTable(settings.routes), []
    try:
        store = store_for(settings, config_file)
    except StartupError as error:
        return RouteTable(settings.routes), [
            RouteProblem(False, f"{error}; showing the file's modes")
        ]
    live = LiveTable(
        RouteTable(settings.routes),
        store,
        refusal=lambda route, mode: handlers.refusal(route.path, route.methods, mode),
    )
    problems = []
    if not live.read():
        problems.append(
            RouteProblem(False, "the state store cannot be reached; showing the file's modes")
        )
    if store is not None:
        store.close()
    return live.table, problems


def inspect_routes(settings: StranglerSettings, config_file: Path | None = None) -> RouteInspection:
    """Who answers each route, decided by `proxy.paths.decide` on the server's own route table
    in its live modes (the store beside `config_file`, or `[store] url`)."""
    legacy_wsgi = load_legacy_app(settings.legacy.app)
    legacy_routes = list_legacy_routes(legacy_wsgi)
    migrated, migrated_error = None, None
    if settings.migrated.app:
        try:
            migrated = load_migrated_app(settings.migrated.app)
        except Exception as error:
            migrated_error = str(error)
    check = HandlerCheck(migrated, loaded=migrated_error is None)
    handlers = check.handlers
    table, store_problems = live_table(settings, config_file, check)
    internal = front_paths(settings)

    def answered_by(route: Route | None, path: str, method: str) -> str:
        if path in internal:
            return f"front ({internal[path]})"
        if route is None:
            return "legacy"
        if route.mode.needs_handler and migrated is None:
            return "front (503, migrated app not loaded)"
        if route.mode.needs_handler and not check.has_handler(route.path, method):
            return "nobody (serve refuses to start: no migrated handler)"
        return route.mode.answered_by()

    def configured_name(route: Route | None) -> str:
        if route is None:
            return "legacy"
        return (route.configured or route.mode).name

    rows: list[RouteRow] = []
    seen: set[tuple[str, str]] = set()
    for legacy in legacy_routes:
        sample = sample_path(legacy.template)
        methods: tuple[str, ...] = legacy.methods
        if not methods:  # Django does not say: the configured methods, then "*" for the rest
            configured_here = {
                method
                for route in table.routes
                if route.regex.match(sample)
                for method in route.methods
            }
            methods = (*sorted(configured_here), "*")
        for method in methods:
            decision = decide(table, method, sample.encode(), 1 << 16) if method != "*" else LEGACY
            route = decision.route if decision.verdict is Verdict.ROUTE else None
            if route is not None:
                seen.add((route.path, method))
            rows.append(
                RouteRow(
                    path=route.path if route is not None else legacy.template,
                    methods=(method,) if method != "*" else (),
                    mode=route.mode.name if route is not None else "legacy",
                    answered_by=answered_by(route, sample, method),
                    legacy=legacy.path,
                    migrated=handlers.get((template_key(legacy.template), method)),
                    configured_mode=configured_name(route),
                    weight=route.mode.weight if route is not None else 0,
                )
            )
    configured = {
        (template_key(route.path), method) for route in table.routes for method in route.methods
    }
    for route in table.routes:
        for method in sorted(route.methods):
            if (route.path, method) not in seen:
                rows.append(
                    RouteRow(
                        path=route.path,
                        methods=(method,),
                        mode=route.mode.name,
                        answered_by=answered_by(route, sample_path(route.path), method),
                        legacy=None,
                        migrated=handlers.get((template_key(route.path), method)),
                        configured_mode=configured_name(route),
                        weight=route.mode.weight,
                    )
                )
    legacy_keys = {template_key(legacy.template) for legacy in legacy_routes}
    for (key, method), handler in handlers.items():
        if (key, method) not in configured and key not in legacy_keys and method != "HEAD":
            rows.append(
                RouteRow(
                    path=key,
                    methods=(method,),
                    mode="unrouted",
                    answered_by="nobody (no [[routes]] entry)",
                    legacy=None,
                    migrated=handler,
                    configured_mode="unrouted",
                )
            )
    problems = route_problems(settings, legacy_wsgi) + store_problems
    if migrated is not None:  # the file's modes, as `strangler serve` checks them at start-up
        from proxy.app import StartupError, check_modes_have_handlers

        try:
            check_modes_have_handlers(RouteTable(settings.routes), check)
        except StartupError as error:
            problems += [RouteProblem(True, line) for line in str(error).splitlines()]
    return RouteInspection(rows, problems, migrated_error)
