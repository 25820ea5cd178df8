"""A legacy Django function view served as a FastAPI route, its code unchanged. Transitional.

    @django_view
    def post_detail(request: DjangoRequest, pk: int):   # the body as Django ran it
        return JsonResponse(...)

The view runs on FastAPI's thread pool with the route's real Django request (`DjangoRequest`:
`request.GET`, `POST`, `body`, `user`, `session` are Django's), its database connections kept
fresh as Django's request signals keep them, and the Django response it returns is sent as it
is (`to_starlette`). `Http404`/`PermissionDenied` raised by it answer Django's error pages
(`install`). Its decorators become route options: methods and dependencies.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpResponseBase

from codemods.runtime.django.connections import fresh_connections
from codemods.runtime.django.responses import to_starlette


def django_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view as a sync FastAPI endpoint (its signature kept for FastAPI)."""

    @functools.wraps(view)
    def endpoint(*args: Any, **kwargs: Any) -> Any:
        with fresh_connections():
            answer = view(*args, **kwargs)
        return to_starlette(answer) if isinstance(answer, HttpResponseBase) else answer

    return endpoint
