"""The dashboard's pages: a login that sets an HttpOnly cookie, the page for viewers only, every
asset served by the front itself, and the cookie's changes guarded by Origin."""

from __future__ import annotations

import re

import httpx
import pytest

from proxy.admin.dashboard import STATIC
from tests.unit.admin.conftest import OPERATOR, VIEWER

pytestmark = pytest.mark.anyio
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def log_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/_strangler/login", content=f"token={token}", headers=FORM)


async def test_the_dashboard_sends_a_visitor_without_a_token_to_the_login_page(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/_strangler/")

    assert response.status_code == 303
    assert response.headers["location"] == "/_strangler/login"


async def test_a_login_sets_an_http_only_strict_cookie_scoped_to_the_admin_prefix(
    client: httpx.AsyncClient,
) -> None:
    response = await log_in(client, VIEWER)

    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/_strangler" in cookie
    page = await client.get("/_strangler/")
    assert page.status_code == 200 and 'id="routes"' in page.text


async def test_a_wrong_token_gets_the_login_page_again_with_401(client: httpx.AsyncClient) -> None:
    response = await log_in(client, "stgl_wrong")

    assert response.status_code == 401
    assert "not known" in response.text
    assert "set-cookie" not in response.headers


async def test_a_change_with_the_cookie_needs_this_host_s_origin(client: httpx.AsyncClient) -> None:
    await log_in(client, OPERATOR)
    body = {"path": "/api/items", "to": "legacy"}

    foreign = await client.post(
        "/_strangler/api/cutover", json=body, headers={"Origin": "http://evil.example"}
    )
    missing = await client.post("/_strangler/api/cutover", json=body)
    same = await client.post(
        "/_strangler/api/cutover", json=body, headers={"Origin": "http://testserver"}
    )

    assert (foreign.status_code, missing.status_code, same.status_code) == (403, 403, 200)


async def test_logging_out_clears_the_cookie(client: httpx.AsyncClient) -> None:
    await log_in(client, VIEWER)

    await client.post("/_strangler/logout")

    assert (await client.get("/_strangler/api/routes")).status_code == 401


async def test_every_asset_the_pages_name_is_served_by_the_front(client: httpx.AsyncClient) -> None:
    await log_in(client, VIEWER)
    pages = [(await client.get("/_strangler/")).text, (await client.get("/_strangler/login")).text]

    links = {link for page in pages for link in re.findall(r'(?:src|href)="([^"]+)"', page)}
    assets = links - {"data:,"}  # the empty icon: no favicon request at all

    assert assets == {"/_strangler/static/dashboard.css", "/_strangler/static/dashboard.js"}
    for asset in assets:
        assert (await client.get(asset)).status_code == 200


def test_no_asset_refers_to_another_host() -> None:
    for path in STATIC.iterdir():
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", path.read_text()), path.name


async def test_the_pages_forbid_scripts_from_anywhere_but_the_front(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/_strangler/login")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "<script>" not in response.text
