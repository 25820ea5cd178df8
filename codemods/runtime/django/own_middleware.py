"""Which entries of `settings.MIDDLEWARE` are the project's own, and whether the runtime can run
them around a FastAPI route. Transitional.

    own_middlewares()            # () when the project has none: the runtime does nothing more

A middleware is the project's own when its class does not come from Django's package (the
project's modules and the packages it installs, e.g. djconfig's). The runtime runs those built
on `MiddlewareMixin` that keep its `__call__` (their `process_request`, `process_view` and
`process_response` hooks), as `MiddlewareStack` does; one with its own `__call__` (or a function
middleware) cannot be split around a route: it is not run, and the codemod reports it.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin
from django.utils.module_loading import import_string


def is_own(middleware: object) -> bool:
    module = getattr(middleware, "__module__", "") or ""
    return module.split(".")[0] != "django"


def runs_in_parts(middleware: object) -> bool:
    """Whether the middleware is a `MiddlewareMixin` whose `__call__` is the mixin's."""
    return (
        isinstance(middleware, type)
        and issubclass(middleware, MiddlewareMixin)
        and middleware.__call__ is MiddlewareMixin.__call__
    )


@cache
def _own(paths: tuple[str, ...]) -> tuple[str, ...]:
    classes = [(path, import_string(path)) for path in paths]
    return tuple(path for path, made in classes if is_own(made) and runs_in_parts(made))


def own_middlewares() -> tuple[str, ...]:
    """The dotted paths of the project's own middlewares the runtime runs, in order."""
    return _own(tuple(settings.MIDDLEWARE))
