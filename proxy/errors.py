"""The one body format for errors the front itself produces: `{error, message, request_id}`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.types import Send


def error_body(error: str, message: str, request_id: str | None) -> bytes:
    return json.dumps(
        {"error": error, "message": message, "request_id": request_id}, separators=(",", ":")
    ).encode()


async def send_error(
    send: Send,
    status: int,
    error: str,
    message: str,
    request_id: str | None,
    extra_headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    body = error_body(error, message, request_id)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra_headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
