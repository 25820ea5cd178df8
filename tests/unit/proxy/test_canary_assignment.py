"""Canary assignment: sticky per client both ways, weight raises only move legacy -> new, forced
sides for testers, forged cookies ignored."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest

from proxy.canary_assignment import (
    CLIENT_COOKIE,
    FORCE_COOKIE,
    CanaryAssigner,
    ClientHints,
)

ROUTE = "GET /api/products"
assigner = CanaryAssigner(b"a test secret of enough bytes")


def client_cookie(set_cookie: str | None) -> dict[str, str]:
    assert set_cookie is not None
    jar: SimpleCookie = SimpleCookie()
    jar.load(set_cookie)
    return {CLIENT_COOKIE: jar[CLIENT_COOKIE].value}


def cookie_of_a_client_on(side: str, weight: int) -> dict[str, str]:
    for _ in range(1000):
        first = assigner.assign(ROUTE, weight, ClientHints())
        if first.side == side:
            return client_cookie(first.set_cookie)
    raise AssertionError(f"no client landed on {side} at weight {weight}")


@pytest.mark.parametrize("side", ["legacy", "new"])
def test_a_cookie_client_lands_on_the_same_side_100_times(side: str) -> None:
    cookies = cookie_of_a_client_on(side, 50)
    answers = {assigner.assign(ROUTE, 50, ClientHints(cookies=cookies)).side for _ in range(100)}
    assert answers == {side}


@pytest.mark.parametrize("side", ["legacy", "new"])
def test_a_user_lands_on_the_same_side_100_times(side: str) -> None:
    user = next(
        f"user-{n}" for n in range(1000)
        if assigner.assign(ROUTE, 50, ClientHints(user_id=f"user-{n}")).side == side
    )  # fmt: skip
    answers = {assigner.assign(ROUTE, 50, ClientHints(user_id=user)).side for _ in range(100)}
    assert answers == {side}


def test_a_known_client_gets_no_new_cookie() -> None:
    cookies = cookie_of_a_client_on("new", 50)
    assignment = assigner.assign(ROUTE, 50, ClientHints(cookies=cookies))
    assert (assignment.reason, assignment.set_cookie) == ("cookie", None)


def test_the_user_id_wins_over_the_cookie() -> None:
    cookies = cookie_of_a_client_on("new", 50)
    assert assigner.assign(ROUTE, 50, ClientHints(cookies=cookies, user_id="7")).reason == "user"


def test_raising_the_weight_never_moves_a_client_from_new_to_legacy() -> None:
    clients = [
        client_cookie(assigner.assign(ROUTE, 0, ClientHints()).set_cookie) for _ in range(300)
    ]
    on_new: set[int] = set()
    for weight in range(0, 101, 5):
        now_new = {
            i for i, cookies in enumerate(clients)
            if assigner.assign(ROUTE, weight, ClientHints(cookies=cookies)).side == "new"
        }  # fmt: skip
        assert on_new <= now_new, f"moved back to legacy at weight {weight}"
        on_new = now_new
    assert len(on_new) == len(clients)


def test_the_weight_sets_the_share_of_clients_on_new() -> None:
    users = [f"user-{n}" for n in range(2000)]
    on_new = sum(assigner.assign(ROUTE, 10, ClientHints(user_id=u)).side == "new" for u in users)
    assert 100 < on_new < 300  # 10 % of 2000, loosely


def test_weight_0_and_100_send_everyone_to_one_side() -> None:
    assert assigner.assign(ROUTE, 0, ClientHints(user_id="1")).side == "legacy"
    assert assigner.assign(ROUTE, 100, ClientHints(user_id="1")).side == "new"


@pytest.mark.parametrize(
    ("value", "side"), [("always", "new"), ("never", "legacy"), ("ALWAYS", "new")]
)
def test_the_force_header_wins_over_the_weight(value: str, side: str) -> None:
    weight = 0 if side == "new" else 100
    assignment = assigner.assign(ROUTE, weight, ClientHints(force_header=value, user_id="1"))
    assert (assignment.side, assignment.reason) == (side, "forced_header")


@pytest.mark.parametrize(("value", "side"), [("always", "new"), ("never", "legacy")])
def test_the_force_cookie_wins_over_the_weight(value: str, side: str) -> None:
    weight = 0 if side == "new" else 100
    hints = ClientHints(cookies={FORCE_COOKIE: value}, user_id="1")
    assert assigner.assign(ROUTE, weight, hints).side == side


def test_the_force_header_wins_over_the_force_cookie() -> None:
    hints = ClientHints(force_header="never", cookies={FORCE_COOKIE: "always"})
    assert assigner.assign(ROUTE, 50, hints).side == "legacy"


def test_an_unknown_force_value_is_ignored() -> None:
    assert assigner.assign(ROUTE, 0, ClientHints(force_header="yes", user_id="1")).side == "legacy"


@pytest.mark.parametrize(
    "forged",
    ["anything", "abc.def", "", ".", "a.b.c", "client-id.", "x" * 500],
)
def test_a_forged_cookie_is_ignored_and_the_client_reassigned(forged: str) -> None:
    assignment = assigner.assign(ROUTE, 50, ClientHints(cookies={CLIENT_COOKIE: forged}))
    assert assignment.reason == "new_client"
    assert assignment.set_cookie is not None


def test_a_cookie_signed_with_another_secret_is_ignored() -> None:
    other = CanaryAssigner(b"another secret of enough bytes")
    cookies = {CLIENT_COOKIE: other.sign("client-1")}
    assert assigner.assign(ROUTE, 50, ClientHints(cookies=cookies)).reason == "new_client"


def test_the_new_cookie_is_http_only_and_secure_when_asked() -> None:
    secure = CanaryAssigner(b"a test secret of enough bytes", secure_cookie=True)
    set_cookie = secure.assign(ROUTE, 50, ClientHints()).set_cookie or ""
    assert "HttpOnly" in set_cookie and "Secure" in set_cookie and "Path=/" in set_cookie


def test_hints_are_read_from_asgi_headers() -> None:
    hints = ClientHints.from_headers(
        [(b"x-strangler-canary", b"always"), (b"cookie", b"a=1; strangler_canary_force=never")]
    )
    assert hints.force_header == "always"
    assert hints.cookies == {"a": "1", FORCE_COOKIE: "never"}


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        CanaryAssigner(b"short")
