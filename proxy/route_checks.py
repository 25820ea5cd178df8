"""What is likely wrong with the configured routes, given the legacy app and the front's own paths.

Run at start-up (errors stop it, warnings are logged) and by `strangler routes` (printed). Every
"who wins" is asked of the same `RouteTable` the server decides with:

- two routes that can match one path: which one answers which paths;
- a probe or metrics path on the public port that hides a legacy route;
- a route that no legacy rule matches (a typo, or a route only the migrated app has): a warning,
  and an error for `retired` (the real route would stay live) unless `allow_unmatched = true`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from proxy.legacy_routes import flask_app_of, is_django_handler, route_namer
from proxy.route_table import Route, RouteTable
from proxy.settings import StranglerSettings

_PARAMETER = re.compile(r"\{([^}:]*)(?::([^}]*))?\}")
_SAMPLES = {"uuid": "00000000-0000-0000-0000-000000000001"}


@dataclass(frozen=True)
class RouteProblem:
    error: bool
    message: str


def sample_path(template: str) -> str:
    """A concrete path the template matches (`/api/items/{id:int}` -> `/api/items/1`)."""
    return _PARAMETER.sub(lambda match: _SAMPLES.get(match.group(2) or "", "1"), template)


def front_paths(settings: StranglerSettings) -> dict[str, str]:
    """The paths the front answers itself on the public port, and the setting that names each."""
    if settings.health.listen is not None:
        return {}
    return {
        settings.health.live_path: "[health] live_path",
        settings.health.ready_path: "[health] ready_path",
        settings.observability.metrics_path: "[observability] metrics_path",
    }


def legacy_matcher(legacy_wsgi: Any) -> Callable[[str, str], str | None] | None:
    """(method, path) -> the legacy rule answering it; None when the app cannot be introspected."""
    if flask_app_of(legacy_wsgi) is None and not is_django_handler(legacy_wsgi):
        return None
    return route_namer(legacy_wsgi)


def route_problems(settings: StranglerSettings, legacy_wsgi: Any) -> list[RouteProblem]:
    table = RouteTable(settings.routes)
    matcher = legacy_matcher(legacy_wsgi)
    return [
        *overlaps(table),
        *front_path_shadows(settings, table, matcher),
        *unmatched(table, settings, matcher),
    ]


def _name(table: RouteTable, route: Route) -> str:
    return f"routes[{table.routes.index(route)}] {route.path}"


def overlaps(table: RouteTable) -> list[RouteProblem]:
    problems = []
    routes = table.routes
    for i, first in enumerate(routes):
        for second in routes[i + 1 :]:
            for sample in sorted({sample_path(first.path), sample_path(second.path)}):
                methods = sorted(
                    method
                    for method in first.methods & second.methods
                    if first.regex.match(sample) and second.regex.match(sample)
                )
                if not methods:
                    continue
                winner = table.match(methods[0], sample)
                if winner is None:
                    continue
                loser = second if winner is first else first
                why = (
                    "a path without parameters wins"
                    if "{" not in winner.path
                    else "the first in the file wins"
                )
                problems.append(
                    RouteProblem(
                        False,
                        f"{_name(table, first)} and {_name(table, second)} overlap for"
                        f" {', '.join(methods)} {sample}: {_name(table, winner)} wins ({why});"
                        f" {_name(table, loser)} answers only the paths the other does not match",
                    )
                )
                break
    return problems


def front_path_shadows(
    settings: StranglerSettings,
    table: RouteTable,
    matcher: Callable[[str, str], str | None] | None,
) -> list[RouteProblem]:
    problems = []
    for path, setting in front_paths(settings).items():
        rule = matcher("GET", path) if matcher is not None else None
        if rule is not None:
            problems.append(
                RouteProblem(
                    False,
                    f"{setting} = {path!r} hides the legacy route {rule}: the front answers"
                    f" {path} itself (move the probes with [health] listen, or pick another path)",
                )
            )
        for route in table.routes:
            if "{" in route.path and route.regex.match(path):
                problems.append(
                    RouteProblem(
                        False,
                        f"{_name(table, route)} matches {path}, which the front answers itself"
                        f" ({setting})",
                    )
                )
    return problems


def unmatched(
    table: RouteTable,
    settings: StranglerSettings,
    matcher: Callable[[str, str], str | None] | None,
) -> list[RouteProblem]:
    if matcher is None:
        return []
    problems = []
    for route, route_settings in zip(table.routes, settings.routes, strict=True):
        sample = sample_path(route.path)
        if any(matcher(method, sample) is not None for method in sorted(route.methods)):
            continue
        methods = ", ".join(sorted(route.methods))
        if route.mode.hides_legacy and not route_settings.allow_unmatched:
            problems.append(
                RouteProblem(
                    True,
                    f"{_name(table, route)} is retired but no legacy rule matches {methods}"
                    f" {sample}: a typo would leave the real route live (set"
                    " allow_unmatched = true on the route if the legacy app never had it)",
                )
            )
        elif not route.mode.hides_legacy:
            problems.append(
                RouteProblem(
                    False,
                    f"{_name(table, route)} ({route.mode.name}): no legacy rule matches"
                    f" {methods} {sample}",
                )
            )
    return problems
