"""Every URL pattern a set-up Django project's resolver serves, as the report is checked against
them: the full route as the resolver joins it, the namespaced name, the URLconf module the pattern
is written in, and the module, name and first line of the view, unwrapped (`view_class` of a
class-based view, `cls` of a Django REST framework view).

Used by the verification's child (verify_legacy.py, for the "routes in url_map" line) and by the
corpus probe (tests/support/corpus_probe.py). Django is imported only when called.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any


def resolver_rules() -> list[dict[str, Any]]:
    """The patterns of the project's root URLconf and of everything it includes."""
    from django.conf import settings
    from django.urls import get_resolver

    found = url_patterns(get_resolver().url_patterns, "", (), settings.ROOT_URLCONF)
    return [
        {"rule": route, "endpoint": name, "methods": [], "urlconf": urlconf, "listed": listed,
         **view_of(view)}
        for route, name, urlconf, listed, view in found
    ]  # fmt: skip


def url_patterns(
    patterns: Any, prefix: str, namespace: tuple[str, ...], urlconf: str, listed: bool = False
) -> Iterator[tuple[str, str | None, str, bool, Any]]:
    """(full route, name, URLconf module, listed, view) of each pattern under `patterns`;
    `listed`: included as a list of patterns (`admin.site.urls`), which has no module of its own,
    so its URLconf is the one including it."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            module = pattern.urlconf_name
            named = isinstance(module, str) or hasattr(module, "__name__")
            name = module if isinstance(module, str) else getattr(module, "__name__", urlconf)
            yield from url_patterns(pattern.url_patterns, route, inner, name, not named)
        else:
            full = ":".join([*namespace, pattern.name]) if pattern.name else None
            yield route, full, urlconf, listed, pattern.callback


def view_of(callback: Any) -> dict[str, Any]:
    owner = (
        getattr(callback, "view_class", None)
        or getattr(callback, "cls", None)
        or inspect.unwrap(callback)
    )
    code = getattr(owner, "__code__", None)
    return {
        "module": getattr(owner, "__module__", None),
        "name": getattr(owner, "__name__", None),
        "qualname": getattr(owner, "__qualname__", None),
        "line": getattr(code, "co_firstlineno", None),
    }
