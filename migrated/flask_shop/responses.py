"""JSON exactly as Flask's `jsonify` writes it: sorted keys, compact, ASCII, a final newline,
Decimals as strings and datetimes as HTTP dates, so clients cannot tell which side answered."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

from fastapi.responses import Response


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return format_datetime(value.replace(tzinfo=None), usegmt=False).replace("-0000", "GMT")
    if isinstance(value, date):
        return format_datetime(datetime(value.year, value.month, value.day)).replace("-0000", "GMT")
    raise TypeError(f"cannot serialise {type(value).__name__}")


class FlaskJSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, default=_default, sort_keys=True, separators=(",", ":"))
        return (text + "\n").encode()


NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually please check"
    " your spelling and try again."
)


def not_found() -> FlaskJSONResponse:
    return FlaskJSONResponse(
        {"error": "Not Found", "message": NOT_FOUND_MESSAGE, "status": 404}, status_code=404
    )


def bad_request(description: str) -> FlaskJSONResponse:
    return FlaskJSONResponse(
        {"error": "Bad Request", "message": description, "status": 400}, status_code=400
    )


def server_error() -> FlaskJSONResponse:
    return FlaskJSONResponse({"error": "Internal Server Error", "status": 500}, status_code=500)
