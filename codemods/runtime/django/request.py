"""A real Django `HttpRequest` for a FastAPI request, made once and only when a route asks for
it. Transitional.

    async def route(http_request: DjangoRequest): ...   # Annotated[HttpRequest, Depends(...)]

It is a `WSGIRequest` built from the ASGI scope and the buffered body with the front's own
environ builder (so it sees what the legacy app behind the front sees), then passed through the
project's session, CSRF, auth and messages middlewares (`stack`): `.session`, `.user`,
`.COOKIES`, `.POST`, `.META["CSRF_COOKIE"]` and `._messages` are Django's. Nothing is read from
the session store until the route asks for `DjangoSession`/`DjangoUser` or touches `.session` or
`.user`; the decoded session and the user are then cached on this one request object.
`DjangoMiddleware` finishes it when the response starts (saves the session, sets the cookies).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.utils.datastructures import MultiValueDict
from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.types import Scope

from codemods.runtime.django.connections import run_in_django
from codemods.runtime.django.stack import MiddlewareStack
from proxy.wsgi_bridge import build_environ

SCOPE_KEY = "strangler.django"


@dataclass(frozen=True)
class DjangoState:
    """What one FastAPI request holds of Django: its request object and the middlewares that
    must finish it."""

    request: HttpRequest
    stack: MiddlewareStack
    answer: HttpResponseBase | None = None  # a project middleware's, instead of the route's


def django_state(scope: Scope) -> DjangoState | None:
    """The request's Django state, or None when no route asked for it (nothing to finish)."""
    state = scope.get(SCOPE_KEY)
    return state if isinstance(state, DjangoState) else None


def build_django_request(scope: Scope, body: bytes, form: FormData | None = None) -> DjangoState:
    """Sync: the `WSGIRequest` of this scope after the project's middlewares' `process_request`
    (which may read the session when `CSRF_USE_SESSIONS` is on). A multipart body FastAPI has
    already parsed comes as `form`: it becomes `request.POST` and `request.FILES`."""
    environ = build_environ(scope, io.BytesIO(body))
    environ["CONTENT_LENGTH"] = str(len(body))  # the body is buffered, chunked or not
    request = WSGIRequest(environ)
    if form is not None:
        request._post, request._files = _post_and_files(form)
    stack = MiddlewareStack.from_settings()
    answer = stack.process_request(request)
    return DjangoState(request, stack, answer)


def _post_and_files(form: FormData) -> tuple[QueryDict, MultiValueDict]:
    post, files = QueryDict(mutable=True), MultiValueDict()
    for name, value in form.multi_items():
        if isinstance(value, str):
            post.appendlist(name, value)
        else:
            upload = UploadedFile(value.file, value.filename, value.content_type, value.size, None)
            files.appendlist(name, upload)
    post._mutable = False
    return post, files


async def _body_and_form(request: Request) -> tuple[bytes, FormData | None]:
    """The body as Django will parse it: the raw bytes, which Django parses itself, lazily and
    with its own errors (a malformed multipart body on a view that never reads `request.POST`
    is no error). A route with `Form()` parameters has had its form parsed by FastAPI before the
    dependencies run, and the raw bytes are gone by then: its form comes from Starlette's parsed
    (cached) form, urlencoded again for Django to parse or, for multipart, as fields and files."""
    if getattr(request, "_form", None) is None:
        return await request.body(), None
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
        return urlencode(pairs).encode("ascii"), None
    if content_type == "multipart/form-data":
        return b"", await request.form()
    return await request.body(), None


async def django_request(request: Request) -> HttpRequest:
    """FastAPI dependency: the Django request of this FastAPI request (made once)."""
    state = django_state(request.scope)
    if state is None:
        body, form = await _body_and_form(request)
        if settings.CSRF_USE_SESSIONS:  # CsrfViewMiddleware.process_request reads the session
            state = await run_in_django(build_django_request, request.scope, body, form)
        else:  # no I/O: Django's middlewares only set lazy attributes and read cookies
            state = build_django_request(request.scope, body, form)
        request.scope[SCOPE_KEY] = state
    return state.request


DjangoRequest = Annotated[HttpRequest, Depends(django_request)]
