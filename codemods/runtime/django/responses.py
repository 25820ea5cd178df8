"""Django responses sent from FastAPI. Transitional.

    return to_starlette(django_response)      # any HttpResponse (render, redirect, csrf failure)
    raise DjangoResponse(django_response)     # from a dependency: answers with it (see install)

`to_starlette` keeps the status, body, every header and each cookie as its own `Set-Cookie`,
as Django's WSGI handler sends them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponseBase
from starlette.requests import Request
from starlette.responses import Response


class DjangoResponse(Exception):
    """Raised to answer with a Django response (e.g. the CSRF failure page) from a
    dependency; `install` registers the handler that sends it."""

    def __init__(self, response: HttpResponseBase) -> None:
        super().__init__(response.status_code)
        self.response = response


def _body(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        chunks: Iterable[bytes] = response
        return b"".join(chunks)
    content: bytes = response.content
    return content


def django_headers(response: HttpResponseBase) -> list[tuple[bytes, bytes]]:
    """The response's headers and cookies as raw ASGI headers (without Content-Length)."""
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in response.items()
        if name.lower() != "content-length"
    ]
    headers += [
        (b"set-cookie", morsel.OutputString().encode("latin-1"))
        for morsel in response.cookies.values()
    ]
    return headers


def to_starlette(response: HttpResponseBase) -> Response:
    """The same answer as a Starlette response."""
    converted = Response(_body(response), status_code=response.status_code)
    content_length = [(k, v) for k, v in converted.raw_headers if k == b"content-length"]
    converted.raw_headers = content_length + django_headers(response)
    return converted


async def send_django_response(request: Request, exc: Exception) -> Response:
    """Exception handler for `DjangoResponse`."""
    assert isinstance(exc, DjangoResponse)
    return to_starlette(exc.response)
