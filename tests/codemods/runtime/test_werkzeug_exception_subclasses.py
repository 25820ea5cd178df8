"""The app's own `HTTPException` subclasses, raised in a view or a helper, and `abort` with a
code Werkzeug knows only through such a subclass, answer as Flask answers them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.responses import Response
from werkzeug.exceptions import BadRequest, HTTPException

from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app


class PaymentRequired(HTTPException):
    code = 402
    description = "Pay first."


class OutOfStock(BadRequest):
    description = "That product is out of stock."


def reserve(product_id: int) -> None:
    """A module helper raising the app's own exception."""
    raise OutOfStock(f"Product {product_id} is out of stock.")


class WithHeaders(HTTPException):
    code = 429

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("Retry-After", "30")]


def raising(error: Exception) -> Callable[[], None]:
    def raise_it() -> None:
        raise error

    return raise_it


RAISES: dict[str, Callable[[], None]] = {
    "own-code": raising(PaymentRequired()),
    "subclass-of-a-known-one": raising(OutOfStock()),
    "from-a-helper": lambda: reserve(3),
    "own-headers": raising(WithHeaders()),
}


@pytest.mark.parametrize("case", sorted(RAISES))
def test_the_app_s_own_http_exception_answers_as_in_flask(case: str) -> None:
    raiser = RAISES[case]
    legacy = flask_app()

    def legacy_view() -> str:
        raiser()
        return "unreachable"

    legacy.add_url_rule("/x", "x", legacy_view)
    migrated: FastAPI = fastapi_app()

    @migrated.get("/x")
    def view() -> Response:
        raiser()
        return Response("unreachable")

    expected, got = legacy.test_client().get("/x"), client(migrated).get("/x")
    assert got.status_code == expected.status_code
    assert got.text == expected.get_data(as_text=True)
    assert got.headers.get("content-type") == expected.headers.get("Content-Type")
    assert got.headers.get("retry-after") == expected.headers.get("Retry-After")
