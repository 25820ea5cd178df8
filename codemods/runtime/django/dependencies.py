"""FastAPI dependencies for a Django project's session, logged-in user and CSRF check.
Transitional: gone with the legacy project (the session and user then come from the new side's
own auth).

    @router.get("/me/")
    async def me(user: DjangoUser, session: DjangoSession): ...  # loaded on the thread pool

    @router.post("/posts/", dependencies=[CsrfProtected])
    def create(http_request: DjangoRequest): ...

- `DjangoSession`: `request.session`, the project's `SESSION_ENGINE` store (db, cached_db, cache,
  signed_cookies, file). Read once per request, when a route asks for it (so `async def` routes
  can use it without touching the database on the event loop); saved, and its cookie set, by
  `DjangoMiddleware` exactly as SessionMiddleware does.
- `DjangoUser`: `request.user`, from `django.contrib.auth.get_user`: the user whose
  `_auth_user_id`/`_auth_user_backend` the session holds, only while `_auth_user_hash` matches
  the password (a changed password flushes the session: logged out on both sides), else
  `AnonymousUser`.
- `CsrfProtected`: the project's `CsrfViewMiddleware.process_view` for the route (cookie or
  session secret, masked tokens from `X-CSRFToken` or `csrfmiddlewaretoken`, Origin/Referer and
  `CSRF_TRUSTED_ORIGINS`); a refusal answers Django's 403 page (`CSRF_FAILURE_VIEW`). Safe
  methods pass, as in Django.

Log in and out with Django's own `django.contrib.auth.login(http_request, user)` /
`logout(http_request)` and add messages with `django.contrib.messages` on the `DjangoRequest`.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ImproperlyConfigured
from fastapi import Depends, Request

from codemods.runtime.django.connections import fresh_connections
from codemods.runtime.django.request import DjangoRequest, django_state
from codemods.runtime.django.responses import DjangoResponse


def django_session(http_request: DjangoRequest) -> SessionBase:
    """`request.session`, read from its store here, on the thread pool, so that `async def`
    routes can use it too. Reading it this way does not count as the route touching it: a route
    that never reads or writes it gets no `Vary: Cookie`, as in Django."""
    session: SessionBase = http_request.session
    accessed = session.accessed
    with fresh_connections():
        session._get_session()  # Django's own load-and-cache
    session.accessed = accessed
    return session


def django_user(http_request: DjangoRequest) -> Any:
    """`request.user`, resolved on the thread pool (a `User` or `AnonymousUser`)."""
    from django.contrib.auth.middleware import get_user

    with fresh_connections():
        return get_user(http_request)


def _csrf_view() -> None:
    """Stands for the FastAPI route in CsrfViewMiddleware.process_view (not csrf_exempt)."""


def csrf_protect(request: Request, _: DjangoRequest) -> None:
    """Refuse the request with Django's 403 unless Django's CSRF check accepts it (sync: FastAPI
    runs it on the thread pool, as it may read the session)."""
    state = django_state(request.scope)
    assert state is not None
    middleware = state.stack.csrf()
    if middleware is None:
        raise ImproperlyConfigured(
            "CsrfProtected needs django.middleware.csrf.CsrfViewMiddleware in MIDDLEWARE"
        )
    with fresh_connections():
        refusal = middleware.process_view(state.request, _csrf_view, (), {})
    if refusal is not None:
        raise DjangoResponse(refusal)


DjangoSession = Annotated[SessionBase, Depends(django_session)]
DjangoUser = Annotated[Any, Depends(django_user)]
CsrfProtected = Depends(csrf_protect)
