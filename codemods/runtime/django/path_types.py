r"""One function view served at paths giving its parameters different types. Transitional.

    path("topic/<int:pk>/", views.detail)                          # pk: int
    re_path(r"^topic/(?P<pk>[0-9]+)/(?P<slug>[\w-]+)/$", views.detail)   # pk: str
->  router.add_api_route("/topic/{pk:int}/", views.detail, ...)
    router.add_api_route("/topic/{pk:re_...}/{slug:re_...}/",
                         with_path_types(views.detail, pk=str), ...)

Django passes each route's own values (an `int` from `<int:pk>`, a string from a regex group);
the generated function is annotated with its first route's types, and `with_path_types` gives
another route the same endpoint with its own. `with_view_kwargs(view, {"slug": ""})` passes a
route's extra keyword arguments (`path(..., kwargs={"slug": ""})`) as Django does: they win
over the path's values of the same name, and leave the endpoint's signature.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any


def with_path_types(endpoint: Callable[..., Any], /, **path_types: type) -> Callable[..., Any]:
    """`endpoint` with these path parameters' annotations replaced in its signature."""

    @functools.wraps(endpoint)
    def typed(*args: Any, **kwargs: Any) -> Any:
        return endpoint(*args, **kwargs)

    signature = inspect.signature(endpoint)
    typed.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            p.replace(annotation=path_types[p.name]) if p.name in path_types else p
            for p in signature.parameters.values()
        ]
    )
    return typed


def with_view_kwargs(endpoint: Callable[..., Any], extra: dict[str, Any], /) -> Callable[..., Any]:
    """`endpoint` called with these keyword arguments too, which leave its signature."""

    @functools.wraps(endpoint)
    def given(*args: Any, **kwargs: Any) -> Any:
        return endpoint(*args, **{**kwargs, **extra})

    signature = inspect.signature(endpoint)
    given.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in signature.parameters.values() if p.name not in extra]
    )
    return given
