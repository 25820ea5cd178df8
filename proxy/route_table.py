"""The compiled table of migrated routes: which configured route, if any, a request path names.

Paths are FastAPI templates (`/api/products/{product_id}`, `{rest:path}`); they are compiled with
Starlette's own `compile_path`, so the table and the migrated app agree on what a template matches.
Static paths are looked up in a dict; templated ones by regex, in the order of the config file.

Each route carries the mode in force (`proxy.modes`): the file's, or the store's live one. A
change of live modes builds a new table (`with_modes`), so a request sees one consistent table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from starlette.routing import compile_path

from proxy.modes import Mode, mode_named
from proxy.settings import RouteSettings
from proxy.store.model import RouteKey


@dataclass(frozen=True)
class Route:
    """One `[[routes]]` entry, compiled, with its mode in force."""

    path: str
    methods: frozenset[str]
    mode: Mode
    rate_limit: str | None = None
    configured: Mode | None = field(default=None, compare=False)
    """The mode strangler.toml gives (None: the same as `mode`)."""
    entry: RouteSettings | None = field(default=None, compare=False, repr=False)
    """The `[[routes]]` entry as written (shadow's `side_effect_free` and `shadow_sample`...)."""
    regex: re.Pattern[str] = field(repr=False, compare=False, default=re.compile(""))
    loose_regex: re.Pattern[str] = field(repr=False, compare=False, default=re.compile(""))

    @cached_property
    def key(self) -> RouteKey:
        """The route as the state store names it: path as written, the entry's methods."""
        return RouteKey.of(self.path, sorted(self.methods))

    def allows(self, method: str) -> bool:
        # HEAD goes to the migrated side only when listed (Django's require_GET refuses HEAD,
        # Flask answers it: the legacy app keeps its own answer unless the team says otherwise);
        # a retired GET takes its HEAD with it, so the legacy handler stays unreachable.
        return method in self.methods or (
            method == "HEAD" and "GET" in self.methods and self.mode.hides_legacy
        )


def compile_route(settings: RouteSettings) -> Route:
    regex, _format, _convertors = compile_path(settings.path)
    # The same template read loosely: any case, with or without a trailing slash. Used only to
    # spot spellings that could reach the route's legacy handler by another name.
    body = regex.pattern.removeprefix("^").removesuffix("$").rstrip("/")
    loose = re.compile(f"^{body}/?$", re.IGNORECASE)
    mode = mode_named(settings.mode.value, settings.weight)
    return Route(
        path=settings.path,
        methods=frozenset(settings.methods),
        mode=mode,
        rate_limit=settings.rate_limit,
        configured=mode,
        entry=settings,
        regex=regex,
        loose_regex=loose,
    )


class RouteTable:
    """Find the configured route for a (method, decoded path)."""

    def __init__(self, routes: Sequence[RouteSettings] | Sequence[Route]) -> None:
        self.routes: tuple[Route, ...] = tuple(
            route if isinstance(route, Route) else compile_route(route) for route in routes
        )
        self._static: dict[str, list[Route]] = {}
        self._templated: list[Route] = []
        for route in self.routes:
            if "{" in route.path:
                self._templated.append(route)
            else:
                self._static.setdefault(route.path, []).append(route)

    def __bool__(self) -> bool:
        return bool(self.routes)

    def with_modes(self, live: Mapping[RouteKey, Mode]) -> RouteTable:
        """The same routes, each in the mode `live` gives it (else its configured mode)."""
        return RouteTable(
            [
                replace(route, mode=live.get(route.key, route.configured or route.mode))
                for route in self.routes
            ]
        )

    def match(self, method: str, path: str) -> Route | None:
        """The route this exact path and method name, if any."""
        for route in self._static.get(path, ()):
            if route.allows(method):
                return route
        for route in self._templated:
            if route.allows(method) and route.regex.match(path):
                return route
        return None

    def loose_match(self, path: str) -> Route | None:
        """A route this path could mean under any case or trailing slash, whatever the method."""
        for route in self.routes:
            if route.loose_regex.match(path):
                return route
        return None
