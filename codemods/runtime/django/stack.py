"""The project's own Django middlewares that give a request its session, user, CSRF cookie and
messages, run around a FastAPI route as Django runs them around a view. Transitional.

Only these kinds are taken from `settings.MIDDLEWARE` (a project's subclass counts), in the
project's order: `SecurityMiddleware` (its response headers; its `process_request` redirect to
HTTPS is not taken), `SessionMiddleware`, `CsrfViewMiddleware`, `AuthenticationMiddleware`,
`MessageMiddleware`, `XFrameOptionsMiddleware`. Whatever they do (cookie names and flags, expiry,
`SESSION_SAVE_EVERY_REQUEST`, CSRF rotation on login, the messages cookie, the security headers)
is Django's code, unchanged. A fresh stack is built
for each request that uses Django, as the settings may change (`override_settings` in tests).

The project's own middlewares (any entry of `MIDDLEWARE` not from Django's package, see
`own_middleware`) run too, at their place in that order, as Django's `MiddlewareMixin` runs
them: `process_request` (an answer, or an exception as Django's error page, stops the request
there and only the middlewares before it and itself finish it), `process_view` with the legacy
view Django's resolver finds for the path, and `process_response`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

from codemods.runtime.django.own_middleware import is_own, runs_in_parts


def _never_called(request: HttpRequest) -> HttpResponseBase:
    raise AssertionError("the FastAPI route answers, not a Django view")


def _kinds() -> tuple[type, ...]:
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.clickjacking import XFrameOptionsMiddleware
    from django.middleware.csrf import CsrfViewMiddleware
    from django.middleware.security import SecurityMiddleware

    return (
        SecurityMiddleware,
        SessionMiddleware,
        CsrfViewMiddleware,
        AuthenticationMiddleware,
        MessageMiddleware,
        XFrameOptionsMiddleware,
    )


def _is_security(middleware: Any) -> bool:
    from django.middleware.security import SecurityMiddleware

    return isinstance(middleware, SecurityMiddleware)


@dataclass
class MiddlewareStack:
    middlewares: tuple[Any, ...]
    own: tuple[Any, ...] = ()
    ran: int | None = None  # how many middlewares finish the request (None: all of them)

    @classmethod
    def from_settings(cls) -> MiddlewareStack:
        kinds = _kinds()
        chosen, own = [], []
        for path in settings.MIDDLEWARE:
            middleware_class = import_string(path)
            make: Any = middleware_class
            if isinstance(middleware_class, type) and issubclass(middleware_class, kinds):
                chosen.append(make(_never_called))
            elif is_own(middleware_class) and runs_in_parts(middleware_class):
                chosen.append(make(_never_called))
                own.append(chosen[-1])
        return cls(tuple(chosen), tuple(own))

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        """Django's and the project's `process_request` in order, then the project's
        `process_view`: the answer of the first that answers (the route must not run)."""
        for index, middleware in enumerate(self.middlewares):
            if middleware in self.own:
                answer = self._own_request(index, middleware, request)
                if answer is not None:
                    return answer
            elif hasattr(middleware, "process_request") and not _is_security(middleware):
                middleware.process_request(request)
        return self._process_view(request)

    def _own_request(
        self, index: int, middleware: Any, request: HttpRequest
    ) -> HttpResponseBase | None:
        if not hasattr(middleware, "process_request"):
            return None
        try:
            answer: HttpResponseBase | None = middleware.process_request(request)
        except Exception as exc:  # Django answers any exception with its page
            self.ran = index  # Django's exception wrapper is outside the middleware
            return response_for_exception(request, exc)
        if answer is not None:
            self.ran = index + 1
        return answer

    def _process_view(self, request: HttpRequest) -> HttpResponseBase | None:
        viewing = [m for m in self.own if hasattr(m, "process_view")]
        if not viewing:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None  # Django answers 404 before any process_view; the route answers here
        request.resolver_match = match
        for middleware in viewing:
            try:
                answer = middleware.process_view(request, match.func, match.args, match.kwargs)
            except Exception as exc:  # Django answers any exception with its page
                return response_for_exception(request, exc)
            if answer is not None:
                return answer
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        for middleware in reversed(self.middlewares[: self.ran]):
            if hasattr(middleware, "process_response"):
                response = middleware.process_response(request, response)
        return response

    def csrf(self) -> Any:
        """The project's CsrfViewMiddleware, or None when the project has no CSRF protection."""
        from django.middleware.csrf import CsrfViewMiddleware

        for middleware in self.middlewares:
            if isinstance(middleware, CsrfViewMiddleware):
                return middleware
        return None
