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
from fastapi import Depends, Request

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


def _passes(mixin: type, checker: Any) -> bool:
    """The test `mixin.dispatch` makes before calling the view."""
    from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin

    if issubclass(mixin, PermissionRequiredMixin):
        return bool(checker.has_permission())
    if issubclass(mixin, UserPassesTestMixin):
        return bool(checker.get_test_func()())
    return bool(checker.request.user.is_authenticated)  # LoginRequiredMixin


def access_guard(mixin: type, view: Any) -> Any:
    """A route dependency making the check of an access mixin (`LoginRequiredMixin`,
    `PermissionRequiredMixin`, `UserPassesTestMixin`) for a class-based view, as the mixin's
    `dispatch` makes it: on the view's attributes (`login_url`, `permission_required`,
    `raise_exception`, `test_func`, ...), with the path parameters in `self.kwargs`. A refusal
    answers what `handle_no_permission()` answers: the redirect to the login page, or
    `PermissionDenied` (Django's 403 page).

    `view` is the class, or its `as_view(**initkwargs)`, whose arguments the check then sees."""
    view_class = getattr(view, "view_class", view)
    initkwargs = dict(getattr(view, "view_initkwargs", {}))
    checker_class = (
        view_class
        if issubclass(view_class, mixin)  # the class kept the mixin: its own check
        else type(f"{mixin.__name__}Check", (view_class, mixin), {})
    )

    def check(http_request: DjangoRequest, request: Request) -> None:
        checker = checker_class(**initkwargs)
        checker.setup(http_request, **request.path_params)
        with fresh_connections():
            if _passes(mixin, checker):
                return
            answer = checker.handle_no_permission()
        raise DjangoResponse(answer)

    return Depends(check)
