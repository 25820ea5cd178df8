"""Django's JsonResponse as the legacy middleware stack sends it: `json.dumps` with its default
separators and ASCII escapes, plus the headers Django's SecurityMiddleware and
XFrameOptionsMiddleware add to every answer."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import Response

SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
# SessionMiddleware adds it whenever the view looked at the session (request.user does)
SESSION_VARY = {"vary": "Cookie"}


class DjangoJSONResponse(Response):
    media_type = "application/json"

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        *,
        session_read: bool = False,
    ) -> None:
        all_headers = {**SECURITY_HEADERS, **(SESSION_VARY if session_read else {})}
        super().__init__(content, status_code, {**all_headers, **(headers or {})})

    def render(self, content: Any) -> bytes:
        return json.dumps(content).encode()


def error(message: str, status: int, *, session_read: bool = False) -> DjangoJSONResponse:
    return DjangoJSONResponse({"error": message}, status, session_read=session_read)


def invalid(errors: dict[str, str], *, session_read: bool = False) -> DjangoJSONResponse:
    return DjangoJSONResponse({"errors": errors}, 400, session_read=session_read)
