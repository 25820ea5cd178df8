"""A project's own middlewares for the tests, written as Spirit writes its own: one writes a row
on every logged-in request, one answers by itself, one looks at the view Django resolved, and
one has its own `__call__` (which the runtime cannot split around a route)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.deprecation import MiddlewareMixin


class LastPageMiddleware(MiddlewareMixin):
    """Records the last page a logged-in user asked for (in `last_name`), as Spirit's
    `LastSeenMiddleware` records when the user was last seen."""

    def process_request(self, request: HttpRequest) -> None:
        if request.user.is_authenticated:
            User.objects.filter(pk=request.user.pk).update(last_name=request.path)


class MembersOnlyMiddleware(MiddlewareMixin):
    """Sends anonymous users asking for the drafts to the login page, as Spirit's
    `PrivateForumMiddleware` does; refuses `/drafts/?forbidden`; marks every response, and
    answers `?closed` with its own response after the view's."""

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        if "forbidden" in request.GET:
            raise PermissionDenied
        if request.path.startswith("/drafts/") and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return None

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> Any:
        if "closed" in request.GET:
            response = HttpResponse("closed for the night", status=503)
        response["X-Members-Only"] = "checked"
        return response


class ViewNameMiddleware(MiddlewareMixin):
    """Names, in a response header, the legacy view Django resolved for the path."""

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        request.legacy_view = view.__name__  # type: ignore[attr-defined]
        return None

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> Any:
        response["X-View"] = getattr(request, "legacy_view", "-")
        return response


class WholeCallMiddleware:
    """A middleware with its own `__call__`: it cannot be split around a route."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)


OWN = [
    f"{__name__}.LastPageMiddleware",
    f"{__name__}.MembersOnlyMiddleware",
    f"{__name__}.ViewNameMiddleware",
]
