"""A `canary` route: a share of clients (the weight) meets the new side, sticky per client in
both directions; the force header and cookie come first."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from proxy.canary_assignment import CLIENT_COOKIE, FORCE_COOKIE, FORCE_HEADER
from tests.unit.modes.conftest import ITEMS, Client, with_mode

pytestmark = pytest.mark.anyio


async def side(
    client: Client, cookies: dict[str, str] | None = None, force: str | None = None
) -> str:
    """The side that answers a request with these cookies and force header (no cookie kept
    from an earlier request)."""
    sent = {FORCE_HEADER: force} if force else {}
    if cookies:
        sent["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    client.cookies.clear()
    response = await client.get(ITEMS, headers=sent)
    assert response.status_code == 200
    return str(response.json()["side"])


async def new_client_cookie(client: Client) -> tuple[str, str]:
    """A first visit: (the side it met, the client cookie it was given)."""
    client.cookies.clear()
    response = await client.get(ITEMS)
    return response.json()["side"], response.cookies[CLIENT_COOKIE]


async def test_weight_0_sends_every_client_to_legacy_and_100_to_new(
    make_front: Callable[..., Client],
) -> None:
    none, every = make_front(with_mode("canary", 0)), make_front(with_mode("canary", 100))

    assert {await side(none) for _ in range(20)} == {"legacy"}
    assert {await side(every) for _ in range(20)} == {"new"}


async def test_a_new_client_gets_a_cookie_that_keeps_its_side(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(with_mode("canary", 50))
    first, cookie = await new_client_cookie(client)

    sides = {await side(client, cookies={CLIENT_COOKIE: cookie}) for _ in range(100)}

    assert sides == {first}


async def test_the_same_client_lands_on_the_same_side_100_times_both_ways(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(with_mode("canary", 50))
    found: dict[str, str] = {}
    while len(found) < 2:  # a client of each side
        first, cookie = await new_client_cookie(client)
        found.setdefault(first, cookie)

    for expected, cookie in found.items():
        sides = [await side(client, cookies={CLIENT_COOKIE: cookie}) for _ in range(100)]
        assert sides == [expected] * 100


async def test_raising_the_weight_only_moves_clients_from_legacy_to_new(
    make_front: Callable[..., Client],
) -> None:
    low, high = make_front(with_mode("canary", 20)), make_front(with_mode("canary", 60))
    cookies = []
    for _ in range(100):
        cookies.append((await new_client_cookie(low))[1])

    for cookie in cookies:
        before = await side(low, cookies={CLIENT_COOKIE: cookie})
        after = await side(high, cookies={CLIENT_COOKIE: cookie})
        assert (before, after) != ("new", "legacy")
    moved = [await side(high, cookies={CLIENT_COOKIE: c}) for c in cookies]
    assert 0 < moved.count("new") < 100  # some clients moved, not all


@pytest.mark.parametrize(("force", "expected"), [("always", "new"), ("never", "legacy")])
async def test_the_force_header_beats_the_weight(
    make_front: Callable[..., Client], force: str, expected: str
) -> None:
    client = make_front(with_mode("canary", 0 if force == "always" else 100))

    assert await side(client, force=force) == expected


@pytest.mark.parametrize(("force", "expected"), [("always", "new"), ("never", "legacy")])
async def test_the_force_cookie_beats_the_weight(
    make_front: Callable[..., Client], force: str, expected: str
) -> None:
    client = make_front(with_mode("canary", 0 if force == "always" else 100))

    assert await side(client, cookies={FORCE_COOKIE: force}) == expected


async def test_the_force_header_beats_the_force_cookie(make_front: Callable[..., Client]) -> None:
    client = make_front(with_mode("canary", 50))

    answer = await side(client, {FORCE_COOKIE: "always"}, force="never")

    assert answer == "legacy"


async def test_a_forged_client_cookie_is_replaced(make_front: Callable[..., Client]) -> None:
    client = make_front(with_mode("canary", 50))

    response = await client.get(ITEMS, headers={"cookie": f"{CLIENT_COOKIE}=someone.forged"})

    assert response.cookies[CLIENT_COOKIE] != "someone.forged"


async def test_canary_answers_are_logged_with_the_side_that_answered(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(with_mode("canary", 100))
    await client.get(ITEMS)
    metrics = (await client.get("/metrics")).text

    assert 'route="/api/items",side="new"' in metrics.replace(", ", ",")


SESSION_CONFIG = with_mode("canary", 50).replace(
    "tests.unit.proxy.apps:flask_app", "tests.unit.modes.session_apps:legacy"
)


async def test_a_signed_in_user_keeps_one_side_whatever_the_client_cookie(
    make_front: Callable[..., Client],
) -> None:
    from tests.unit.modes.session_apps import session_cookie

    client = make_front(SESSION_CONFIG)
    for user in ("ana", "bo", "cy", "di"):
        sides = set()
        for _ in range(20):  # a new device each time: no client cookie, the same session user
            client.cookies.clear()
            response = await client.get(ITEMS, headers={"cookie": session_cookie(user)})
            sides.add(response.json()["side"])
            assert CLIENT_COOKIE not in response.cookies
        assert len(sides) == 1, user


async def test_a_forged_session_falls_back_to_the_client_cookie(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(SESSION_CONFIG)
    client.cookies.clear()

    response = await client.get(ITEMS, headers={"cookie": "session=eyJfdXNlcl9pZCI6ImFuYSJ9.x.y"})

    assert CLIENT_COOKIE in response.cookies
