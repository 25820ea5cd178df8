"""The rows of `strangler routes`: every legacy and migrated route, its mode, who answers it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from proxy.legacy_routes import list_legacy_routes
from proxy.loading import load_legacy_app, load_migrated_app
from proxy.migrated_routes import handled, template_key
from proxy.paths import LEGACY, Verdict, decide
from proxy.route_checks import RouteProblem, front_paths, route_problems, sample_path
from proxy.route_table import Route, RouteTable
from proxy.settings import RouteMode, StranglerSettings

ANSWERED_BY = {
    RouteMode.LEGACY: "legacy",
    RouteMode.NEW: "new",
    RouteMode.RETIRED: "front (404, retired)",
}


@dataclass(frozen=True)
class RouteRow:
    path: str  # FastAPI template syntax
    methods: tuple[str, ...]
    mode: str
    answered_by: str
    legacy: str | None  # the legacy rule as the legacy framework spells it
    migrated: str | None  # the migrated handler (module.function)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def route_report(settings: StranglerSettings) -> list[RouteRow]:
    return inspect_routes(settings).rows


@dataclass(frozen=True)
class RouteInspection:
    rows: list[RouteRow]
    problems: list[RouteProblem]  # the same warnings and errors `strangler serve` gives
    migrated_error: str | None  # why the [migrated] app could not be loaded


def inspect_routes(settings: StranglerSettings) -> RouteInspection:
    """Who answers each route, decided by `proxy.paths.decide` on the server's own route table."""
    legacy_wsgi = load_legacy_app(settings.legacy.app)
    legacy_routes = list_legacy_routes(legacy_wsgi)
    migrated, migrated_error = None, None
    if settings.migrated.app:
        try:
            migrated = load_migrated_app(settings.migrated.app)
        except Exception as error:
            migrated_error = str(error)
    handlers = handled(migrated) if migrated is not None else {}
    table = RouteTable(settings.routes)
    internal = front_paths(settings)

    def answered_by(route: Route | None, path: str, method: str) -> str:
        if path in internal:
            return f"front ({internal[path]})"
        if route is None:
            return "legacy"
        if route.mode is RouteMode.NEW and migrated is None:
            return "front (503, migrated app not loaded)"
        if route.mode is RouteMode.NEW and not has_handler(route.path, method):
            return "nobody (serve refuses to start: no migrated handler)"
        return ANSWERED_BY[route.mode]

    def has_handler(path: str, method: str) -> bool:
        key = template_key(path)
        return (key, method) in handlers or (method == "HEAD" and (key, "GET") in handlers)

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
                    mode=(route.mode if route is not None else RouteMode.LEGACY).value,
                    answered_by=answered_by(route, sample, method),
                    legacy=legacy.path,
                    migrated=handlers.get((template_key(legacy.template), method)),
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
                        mode=route.mode.value,
                        answered_by=answered_by(route, sample_path(route.path), method),
                        legacy=None,
                        migrated=handlers.get((template_key(route.path), method)),
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
                )
            )
    problems = route_problems(settings, legacy_wsgi)
    if migrated is not None:
        from proxy.app import StartupError, check_new_routes_have_handlers

        try:
            check_new_routes_have_handlers(settings, migrated)
        except StartupError as error:
            problems += [RouteProblem(True, line) for line in str(error).splitlines()]
    return RouteInspection(rows, problems, migrated_error)
