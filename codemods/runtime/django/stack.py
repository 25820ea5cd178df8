"""The project's own Django middlewares that give a request its session, user, CSRF cookie and
messages, run around a FastAPI route as Django runs them around a view. Transitional.

Only these four kinds are taken from `settings.MIDDLEWARE` (a project's subclass counts), in the
project's order: `SessionMiddleware`, `CsrfViewMiddleware`, `AuthenticationMiddleware`,
`MessageMiddleware`. Whatever they do (cookie names and flags, expiry, `SESSION_SAVE_EVERY_REQUEST`,
CSRF rotation on login, the messages cookie) is Django's code, unchanged. A fresh stack is built
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
    from django.middleware.csrf import CsrfViewMiddleware

    return (SessionMiddleware, CsrfViewMiddleware, AuthenticationMiddleware, MessageMiddleware)


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
