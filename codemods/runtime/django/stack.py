"""The project's own Django middlewares that give a request its session, user, CSRF cookie and
messages, run around a FastAPI route as Django runs them around a view. Transitional.

Only these kinds are taken from `settings.MIDDLEWARE` (a project's subclass counts), in the
project's order: `SecurityMiddleware` (its response headers; its `process_request` redirect to
HTTPS is not taken), `SessionMiddleware`, `CsrfViewMiddleware`, `AuthenticationMiddleware`,
`MessageMiddleware`, `XFrameOptionsMiddleware`. Whatever they do (cookie names and flags, expiry,
`SESSION_SAVE_EVERY_REQUEST`, CSRF rotation on login, the messages cookie, the security headers)
is Django's code, unchanged. A fresh stack is built
for each request that uses Django, as the settings may change (`override_settings` in tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string


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


@dataclass(frozen=True)
class MiddlewareStack:
    middlewares: tuple[Any, ...]

    @classmethod
    def from_settings(cls) -> MiddlewareStack:
        kinds = _kinds()
        chosen = []
        for path in settings.MIDDLEWARE:
            middleware_class = import_string(path)
            if isinstance(middleware_class, type) and issubclass(middleware_class, kinds):
                make: Any = middleware_class
                chosen.append(make(_never_called))
        return cls(tuple(chosen))

    def process_request(self, request: HttpRequest) -> None:
        for middleware in self.middlewares:
            if hasattr(middleware, "process_request") and not _is_security(middleware):
                middleware.process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        for middleware in reversed(self.middlewares):
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
