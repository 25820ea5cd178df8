"""Tokens never reach the log: each admin request logs one line naming the token's holder and
role, whether the token came as a bearer header, a cookie or the login form, right or wrong."""

from __future__ import annotations

import json
from collections.abc import Callable

import anyio
import httpx
import pytest

from proxy.app import create_app
from tests.unit.admin.conftest import OPERATOR, VIEWER, admin_settings, bearer

pytestmark = pytest.mark.anyio
WRONG = "stgl_a-wrong-token-that-must-not-be-logged-either"


async def logged_lines(
    store_url: str,
    capsys: pytest.CaptureFixture[str],
    requests: Callable[[httpx.AsyncClient], object],
) -> list[dict[str, object]]:
    app = create_app(admin_settings(store_url, access_log=True))  # logs to this test's stdout
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await requests(client)  # type: ignore[misc]
    await anyio.sleep(0.01)  # the log writer flushes at the end of the loop iteration
    out = capsys.readouterr().out
    assert VIEWER not in out and OPERATOR not in out and WRONG not in out
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


async def test_bearer_tokens_are_not_logged_but_their_holders_are(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async def requests(client: httpx.AsyncClient) -> None:
        await client.get("/_strangler/api/routes", headers=bearer(VIEWER))
        await client.post(
            "/_strangler/api/cutover", json={"path": "/api/items", "to": "shadow"},
            headers=bearer(OPERATOR),
        )  # fmt: skip
        await client.get("/_strangler/api/routes", headers=bearer(WRONG))

    lines = await logged_lines(store_url, capsys, requests)

    admin = [(line["who"], line["status"]) for line in lines if line["event"] == "admin_request"]
    assert admin == [("vi", 200), ("ana", 200), (None, 401)]


async def test_the_login_form_and_cookie_tokens_are_not_logged(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async def requests(client: httpx.AsyncClient) -> None:
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        await client.post("/_strangler/login", content=f"token={WRONG}", headers=form)
        await client.post("/_strangler/login", content=f"token={VIEWER}", headers=form)
        await client.get("/_strangler/api/routes")  # with the cookie the login set

    lines = await logged_lines(store_url, capsys, requests)

    statuses = [line["status"] for line in lines if line["event"] == "admin_request"]
    assert statuses == [401, 303, 200]
