"""The routes a migrated FastAPI app really has, walking included routers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MigratedRoute:
    path: str
    methods: frozenset[str]
    handler: str  # module.qualname of the endpoint


def template_key(path: str) -> str:
    """`/a/{id:int}/b` and `/a/{pk}/b` name the same route shape."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def migrated_routes(app: Any) -> list[MigratedRoute]:
    return list(_walk(getattr(app, "routes", []), ""))


def _walk(routes: list[Any], prefix: str) -> Iterator[MigratedRoute]:
    from starlette.routing import Route

    for route in routes:
        original = getattr(route, "original_router", None)  # FastAPI >= 0.16x lazy include
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(original.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, Route) and getattr(route, "include_in_schema", True):
            endpoint = route.endpoint
            name = (
                f"{getattr(endpoint, '__module__', '?')}.{getattr(endpoint, '__qualname__', '?')}"
            )
            yield MigratedRoute(prefix + route.path, frozenset(route.methods or ()), name)


def handled(app: Any) -> dict[tuple[str, str], str]:
    """(template key, method) -> handler name, for every route of the app."""
    table: dict[tuple[str, str], str] = {}
    for route in migrated_routes(app):
        for method in route.methods:
            table.setdefault((template_key(route.path), method), route.handler)
    return table
