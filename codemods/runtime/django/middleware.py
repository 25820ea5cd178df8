"""Pure ASGI middleware that finishes the Django side of a request when its response starts, as
Django's middlewares' `process_response` do. Transitional.

    app.add_middleware(DjangoMiddleware)     # install(app) does it

For a request whose route never asked for the Django request (`DjangoRequest`, `DjangoSession`,
`DjangoUser`, `CsrfProtected`, `render`), it does nothing. Otherwise it runs the project's
messages, CSRF, session, security and clickjacking middlewares on a stand-in Django response
with the route's status and `Vary`, then adds what they set to the real response: the session
saved and its cookie (or its deletion), the rotated or new `csrftoken` cookie, the `messages`
cookie, `Vary: Cookie`, and the headers `SecurityMiddleware` and `XFrameOptionsMiddleware` add
(`X-Content-Type-Options`, `Referrer-Policy`, `Cross-Origin-Opener-Policy`, `X-Frame-Options`)
where the response has none.
A `BadRequest` or `SuspiciousOperation` from that step (e.g. `SessionInterrupted`, the session
deleted by a concurrent logout) answers Django's 400 instead, as Django does.

When the project has middlewares of its own (`own_middlewares`), every request is a Django
request: its body is read first (and replayed to the route), the Django request is built and
all the middlewares' request parts run before the route, as Django runs them before a view. A
middleware's own answer (a redirect, an error page) is sent instead of calling the route, after
the `process_response` of the middlewares it passed; one a `process_response` returns in place
of the route's response replaces it.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.handlers.exception import response_for_exception
from django.http import HttpResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from codemods.runtime.django.connections import run_in_django
from codemods.runtime.django.own_middleware import own_middlewares
from codemods.runtime.django.request import (
    SCOPE_KEY,
    DjangoState,
    build_django_request,
    django_state,
)
from codemods.runtime.django.responses import DjangoResponse, django_headers, to_starlette


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a `receive` that gives it again, then the real messages."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


def finish(
    state: DjangoState, status: int, vary: str | None, present: frozenset[str] = frozenset()
) -> list[tuple[bytes, bytes]]:
    """Sync: the headers the project's middlewares add to a response of this status (Set-Cookie
    lines, `Vary` in full when they changed it, and the security headers the response does not
    have yet: `present` holds its header names, lower case)."""
    stand_in = HttpResponse(status=status)
    if vary is not None:
        stand_in["Vary"] = vary
    before = {k for k, _ in django_headers(stand_in)}
    finished = state.stack.process_response(state.request, stand_in)
    if finished is not stand_in:
        raise DjangoResponse(finished)
    added = [
        (k, v)
        for k, v in django_headers(stand_in)
        if k in (b"set-cookie", b"vary") or (k not in before and k.decode("latin-1") not in present)
    ]
    if stand_in.get("Vary") == vary:
        added = [(k, v) for k, v in added if k != b"vary"]
    return added


class DjangoMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if own_middlewares():
            body, receive = await _buffered(receive)
            state = await run_in_django(build_django_request, scope, body)
            scope[SCOPE_KEY] = state
            if state.answer is not None:
                answer = await run_in_django(
                    state.stack.process_response, state.request, state.answer
                )
                await to_starlette(answer)(scope, receive, send)
                return
        replaced = False

        async def send_finished(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the body of the response Django's 400 replaced
            state = django_state(scope)
            if message["type"] == "http.response.start" and state is not None:
                headers = MutableHeaders(scope=message)
                try:
                    present = frozenset(name.lower() for name in headers)
                    added = await run_in_django(
                        finish, state, message["status"], headers.get("vary"), present
                    )
                except (BadRequest, SuspiciousOperation) as exc:
                    replaced = True
                    refusal = await run_in_django(response_for_exception, state.request, exc)
                    await to_starlette(refusal)(scope, receive, send)
                    return
                except DjangoResponse as exc:  # a project middleware's response replaced it
                    replaced = True
                    await to_starlette(exc.response)(scope, receive, send)
                    return
                if any(name == b"vary" for name, _ in added):
                    del headers["vary"]
                for name, value in added:
                    headers.append(name.decode("latin-1"), value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, send_finished)
