"""What routes the legacy app has: Flask's `url_map` or Django's URL resolver, introspected."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LegacyRoute:
    path: str  # in the legacy framework's own syntax: `/api/products/<int:product_id>`
    methods: tuple[str, ...]  # empty when the framework does not say (Django)
    endpoint: str
    template: str  # the same path as a FastAPI template: `/api/products/{product_id}`


_FLASK_PARAM = re.compile(r"<(?:[a-zA-Z_]+(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def flask_app_of(wsgi_app: Any) -> Any | None:
    return (
        wsgi_app if hasattr(wsgi_app, "url_map") and hasattr(wsgi_app, "view_functions") else None
    )


def is_django_handler(wsgi_app: Any) -> bool:
    try:
        from django.core.handlers.wsgi import WSGIHandler
    except ImportError:
        return False
    return isinstance(wsgi_app, WSGIHandler)


def list_legacy_routes(wsgi_app: Any) -> list[LegacyRoute]:
    flask_app = flask_app_of(wsgi_app)
    if flask_app is not None:
        return [
            LegacyRoute(
                path=rule.rule,
                methods=tuple(
                    sorted(m for m in rule.methods or () if m not in {"HEAD", "OPTIONS"})
                ),
                endpoint=rule.endpoint,
                template=_FLASK_PARAM.sub(r"{\1}", rule.rule),
            )
            for rule in sorted(flask_app.url_map.iter_rules(), key=lambda rule: rule.rule)
        ]
    if is_django_handler(wsgi_app):
        from django.urls import get_resolver

        return sorted(_django_routes(get_resolver().url_patterns, "/"), key=lambda r: r.path)
    return []


def _django_routes(patterns: list[Any], prefix: str) -> Iterator[LegacyRoute]:
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        text = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _django_routes(pattern.url_patterns, prefix + text.lstrip("^"))
        elif isinstance(pattern, URLPattern):
            path = prefix + text.lstrip("^").rstrip("$")
            yield LegacyRoute(
                path=path,
                methods=(),
                endpoint=pattern.lookup_str,
                template=django_template(path),
            )


def django_template(path: str) -> str:
    """A Django route (`path()` converters or `re_path()` regex) as a FastAPI template:
    `<int:pk>` and `(?P<pk>[0-9]+)` both become `{pk}`; anchors and escapes are dropped."""
    out = []
    index = 0
    while index < len(path):
        if path.startswith("(?P<", index):
            name_end = path.index(">", index)
            name = path[index + 4 : name_end]
            depth, index = 1, name_end + 1
            while index < len(path) and depth:  # skip the group's regex, nested groups too
                char = path[index]
                if char == "\\":
                    index += 1
                elif char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                index += 1
            out.append("{" + name + "}")
            continue
        char = path[index]
        if char == "\\" and index + 1 < len(path):
            out.append(path[index + 1])
            index += 2
            continue
        if char not in "^$":
            out.append(char)
        index += 1
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", "".join(out))


def route_namer(wsgi_app: Any) -> Callable[[str, str], str | None]:
    """A function (method, path) -> the legacy route's path as the framework spells it, or None.

    Used to label metrics and logs; results are cached (bounded) since it runs per request."""
    cache: dict[tuple[str, str], str | None] = {}
    resolve: Callable[[str, str], str | None]
    flask_app = flask_app_of(wsgi_app)
    if flask_app is not None:
        from werkzeug.exceptions import HTTPException
        from werkzeug.routing import RequestRedirect

        adapter = flask_app.url_map.bind("localhost")

        def resolve(method: str, path: str) -> str | None:
            try:
                rule, _args = adapter.match(path, method, return_rule=True)
            except (HTTPException, RequestRedirect):
                return None
            return str(rule.rule)

    elif is_django_handler(wsgi_app):
        from django.urls import Resolver404
        from django.urls import resolve as django_resolve

        def resolve(method: str, path: str) -> str | None:
            try:
                match = django_resolve(path)
            except Resolver404:
                return None
            return "/" + str(match.route) if match.route is not None else None

    else:
        return lambda method, path: None

    def named(method: str, path: str) -> str | None:
        key = (method, path)
        try:
            return cache[key]
        except KeyError:
            pass
        try:
            name = resolve(method, path)
        except Exception:
            name = None
        if len(cache) < 10000:
            cache[key] = name
        return name

    return named
