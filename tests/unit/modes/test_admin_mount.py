"""Paths under `/_strangler` are the front's own (the admin API and dashboard): never the
legacy app's nor the migrated app's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from tests.unit.modes.conftest import CONFIG, Client

pytestmark = pytest.mark.anyio


async def admin(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse(f"admin {scope['path']}")(scope, receive, send)


async def test_without_an_admin_app_the_front_answers_404(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(CONFIG)
    client.front.admin = None  # type: ignore[attr-defined]  # as without proxy.admin installed

    for path in ("/_strangler", "/_strangler/", "/_strangler/api/routes"):
        response = await client.get(path)
        assert (response.status_code, response.json()["error"]) == (404, "not_found"), path


async def test_the_admin_app_answers_every_path_under_the_prefix(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(CONFIG)
    client.front.admin = admin  # type: ignore[attr-defined]

    assert (await client.get("/_strangler/api/routes")).text == "admin /_strangler/api/routes"
    assert (await client.get("/_strangler")).text == "admin /_strangler"


async def test_another_spelling_of_the_prefix_reaches_neither_the_admin_app_nor_legacy(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(CONFIG)
    client.front.admin = admin  # type: ignore[attr-defined]

    response = await client.get("/_strangler%2Fapi")  # the admin gate answers, before the front

    assert (response.status_code, response.json()["error"]) == (400, "ambiguous_path")


async def test_a_path_that_only_starts_like_the_prefix_is_legacys(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(CONFIG)
    client.front.admin = admin  # type: ignore[attr-defined]

    response = await client.get("/_stranglerx")

    assert response.status_code == 404
    assert "admin" not in response.text
    assert response.headers.get("content-type", "").startswith("text/html")  # Flask's own 404
