"""Every URL pattern a set-up Django project's resolver serves, as the report is checked against
them: the full route as the resolver joins it, the namespaced name, the URLconf module the pattern
is written in, and the module, name and first line of the view, unwrapped (`view_class` of a
class-based view, `cls` of a Django REST framework view).

Each pattern also says whether its route, or an include prefix above it, is marked for
translation as the project runs (`pgettext_lazy(...)` when it is Django's: a lazy string, which
another active language may translate): `translated`. A URLconf whose translation function is not
Django's under the project's settings (django-postman's `POSTMAN_I18N_URLS` unset) serves plain
text, the same in every language.

Used by the verification's child (verify_legacy.py, for the "routes in url_map" line and the
routes marked for translation: codemods/engine/route_translation.py) and by the corpus probe
(tests/support/corpus_probe.py). Django is imported only when called.
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
         "translated": translated, **view_of(view)}
        for route, name, urlconf, listed, view, translated in found
    ]  # fmt: skip


def url_patterns(
    patterns: Any,
    prefix: str,
    namespace: tuple[str, ...],
    urlconf: str,
    listed: bool = False,
    translated: bool = False,
) -> Iterator[tuple[str, str | None, str, bool, Any, bool]]:
    """(full route, name, URLconf module, listed, view, translated) of each pattern under
    `patterns`; `listed`: included as a list of patterns (`admin.site.urls`), which has no module
    of its own, so its URLconf is the one including it; `translated`: its route or a prefix
    above it is a lazy translation."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        lazy = translated or is_lazy(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            module = pattern.urlconf_name
            named = isinstance(module, str) or hasattr(module, "__name__")
            name = module if isinstance(module, str) else getattr(module, "__name__", urlconf)
            yield from url_patterns(pattern.url_patterns, route, inner, name, not named, lazy)
        else:
            full = ":".join([*namespace, pattern.name]) if pattern.name else None
            yield route, full, urlconf, listed, pattern.callback, lazy


def is_lazy(pattern: Any) -> bool:
    """Whether a `RegexPattern`'s or `RoutePattern`'s text is a lazy translation (Django keeps
    it as given, in `_route` or `_regex`, and translates it in the active language), or the
    pattern is `i18n_patterns()`'s language prefix."""
    from django.urls.resolvers import LocalePrefixPattern
    from django.utils.functional import Promise

    if isinstance(pattern, LocalePrefixPattern):
        return True
    return any(isinstance(getattr(pattern, held, None), Promise) for held in ("_route", "_regex"))


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
