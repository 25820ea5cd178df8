"""The rows of `strangler routes`: every legacy and migrated route, its mode, who answers it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from proxy.legacy_routes import list_legacy_routes
from proxy.loading import load_legacy_app, load_migrated_app
from proxy.migrated_routes import handled, template_key
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
    legacy_routes = list_legacy_routes(load_legacy_app(settings.legacy.app))
    migrated = load_migrated_app(settings.migrated.app) if settings.migrated.app else None
    handlers = handled(migrated) if migrated is not None else {}
    configured = {
        (template_key(route.path), method): route
        for route in settings.routes
        for method in route.methods
    }
    rows: list[RouteRow] = []
    seen: set[tuple[str, str]] = set()
    for legacy in legacy_routes:
        key = template_key(legacy.template)
        methods = legacy.methods or ("*",)
        for method in methods:
            route = configured.get((key, method))
            mode = route.mode if route is not None else RouteMode.LEGACY
            seen.add((key, method))
            rows.append(
                RouteRow(
                    path=route.path if route is not None else legacy.template,
                    methods=(method,) if method != "*" else (),
                    mode=mode.value,
                    answered_by=ANSWERED_BY[mode],
                    legacy=legacy.path,
                    migrated=handlers.get((key, method)),
                )
            )
    for (key, method), route in configured.items():
        if (key, method) not in seen:
            rows.append(
                RouteRow(
                    path=route.path,
                    methods=(method,),
                    mode=route.mode.value,
                    answered_by=ANSWERED_BY[route.mode],
                    legacy=None,
                    migrated=handlers.get((key, method)),
                )
            )
    for (key, method), handler in handlers.items():
        if (key, method) not in configured and (key, method) not in seen and method != "HEAD":
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
    return rows
