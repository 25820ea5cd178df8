"""A legacy Django function view served as a FastAPI route, its code unchanged. Transitional.

    @django_view
    def post_detail(request: DjangoRequest, pk: int):   # the body as Django ran it
        return JsonResponse(...)

The view runs on FastAPI's thread pool with the route's real Django request (`DjangoRequest`:
`request.GET`, `POST`, `body`, `user`, `session` are Django's), its database connections kept
fresh as Django's request signals keep them, and the Django response it returns is sent as it
is (`to_starlette`). `Http404`/`PermissionDenied` raised by it answer Django's error pages
(`install`). Its decorators become route options: methods and dependencies.

`class_view(PostDetailView.as_view(), slug=str)` serves a class-based view the same way: Django's
own `as_view()` and `dispatch`, so generic views (`ListView` with `paginate_by`, `CreateView`,
...) run their own code, and a `TemplateResponse` is rendered before it is sent. A view built on
`SelectedObjects` (its objects SQLAlchemy rows, generic.py) or `SessionView` (its handlers'
queries SQLAlchemy's, view_session.py) gets the route's session.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, get_args

from django.http import HttpResponseBase
from django.urls import Resolver404, resolve
from starlette.responses import Response

from codemods.runtime.django.connections import fresh_connections
from codemods.runtime.django.generic import SelectedObjects, attach_related_sets
from codemods.runtime.django.responses import to_starlette
from codemods.runtime.django.view_session import SESSION_ATTRIBUTE, SessionView


def _sent(answer: Any, view: Any = None) -> Any:
    """A Django response as Starlette's; a `TemplateResponse` rendered first, as Django's
    handler renders it (call it inside `fresh_connections`: rendering runs lazy queries).
    Anything else a view returns (`None`, spirit's `return Http404()`) is a 500, as Django's
    handler fails on it."""
    if isinstance(answer, Response):
        return answer
    if not isinstance(answer, HttpResponseBase):
        name = getattr(view, "__qualname__", "view")
        shown = "None" if answer is None else f"an instance of {type(answer).__name__}"
        raise ValueError(
            f"The view {getattr(view, '__module__', '')}.{name} didn't return an HttpResponse "
            f"object. It returned {shown} instead."
        )
    render = getattr(answer, "render", None)
    if callable(render) and not getattr(answer, "is_rendered", True):
        answer = render()
    return to_starlette(answer)


def _resolve(request: Any) -> None:
    """`request.resolver_match`, as Django's handler sets it before calling the view (DRF's
    API root and versioning read it): the project's URLconf resolving the path, or None."""
    if getattr(request, "resolver_match", None) is not None:
        return
    try:
        request.resolver_match = resolve(request.path_info)
    except Resolver404:
        request.resolver_match = None


def django_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view as a sync FastAPI endpoint (its signature kept for FastAPI)."""

    @functools.wraps(view)
    def endpoint(*args: Any, **kwargs: Any) -> Any:
        with fresh_connections():
            return _sent(view(*args, **kwargs), view)

    # A return annotation (`-> HttpResponse`) is Django's, not a response model for FastAPI;
    # `*args`/`**kwargs` get what Django gives a path without parameters: nothing.
    signature = inspect.signature(view)
    variable = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in signature.parameters.values() if p.kind not in variable],
        return_annotation=inspect.Signature.empty,
    )
    return endpoint


def class_view(view: Callable[..., Any], /, **path_types: type) -> Callable[..., Any]:
    """A class-based view's `as_view(...)` as a sync FastAPI endpoint taking the route's
    `DjangoRequest` and its path parameters (with these types), which it passes on as Django's
    URL resolver does: `View.dispatch` then picks the handler (`get`, `post`, ...).

        router.add_api_route("/posts/{slug:django_slug}/", class_view(PostDetail.as_view(),
                             slug=str), methods=["GET", "HEAD", "OPTIONS"], name="post_detail")
    """
    from codemods.runtime.django.request import DjangoRequest

    view_class = getattr(view, "view_class", None)
    rows = isinstance(view_class, type) and issubclass(view_class, SelectedObjects)
    sessions = isinstance(view_class, type) and issubclass(view_class, SessionView)
    if rows and hasattr(getattr(view_class, "model", None), "__table__"):
        attach_related_sets(view_class.model)  # type: ignore[union-attr]  # before any request

    optional = {name for name, kind in path_types.items() if type(None) in get_args(kind)}

    def endpoint(request: Any, **path: Any) -> Any:
        if sessions:  # its objects or queries are SQLAlchemy's, on the route's session
            setattr(request, SESSION_ATTRIBUTE, path.pop("session"))
        with fresh_connections():
            _resolve(request)
            # an absent optional group ("" of a `str | None`) is no argument, as in Django
            given = {n: v for n, v in path.items() if not (n in optional and v == "")}
            return _sent(view(request, **given), view)

    endpoint.__name__ = endpoint.__qualname__ = getattr(view_class, "__name__", "view")
    endpoint.__module__ = getattr(view_class, "__module__", endpoint.__module__)
    endpoint.__doc__ = getattr(view_class, "__doc__", None)
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter("request", keyword, annotation=DjangoRequest)]
    parameters += [inspect.Parameter(n, keyword, annotation=t) for n, t in path_types.items()]
    if sessions:
        from fastapi import Depends
        from sqlalchemy.orm import Session

        from codemods.runtime.django.database import get_session

        session = inspect.Parameter("session", keyword, annotation=Session)
        parameters.append(session.replace(default=Depends(get_session)))
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return endpoint
