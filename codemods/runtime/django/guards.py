"""Django's view decorators as FastAPI dependencies: the same check, the same answer.
Transitional.

    @router.get("/drafts/", dependencies=[LoginRequired])
    @router.post("/posts/", dependencies=[guard(permission_required("blog.add_post"))])

`guard(decorator)` runs the decorator around a stand-in view on the route's `DjangoRequest`:
when the decorator answers instead of calling the view (`login_required`'s redirect to
`LOGIN_URL` with `next=`, `user_passes_test`, `permission_required`), that answer is sent;
`PermissionDenied` becomes the project's 403 page, as Django's handler makes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from fastapi import Depends

from codemods.runtime.django.connections import fresh_connections
from codemods.runtime.django.request import DjangoRequest
from codemods.runtime.django.responses import DjangoResponse

ViewDecorator = Callable[[Callable[..., Any]], Callable[..., Any]]
_PASSED: Any = object()  # what the stand-in view answers: the decorator let the request through


def _stand_in_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    return _PASSED


def guard(decorator: ViewDecorator) -> Any:
    """A route dependency that answers as `decorator` would, or lets the route run."""
    guarded = decorator(_stand_in_view)

    def check(http_request: DjangoRequest) -> None:
        with fresh_connections():
            answer = guarded(http_request)
        if answer is not _PASSED:
            raise DjangoResponse(answer)

    return Depends(check)


LoginRequired = guard(login_required)
