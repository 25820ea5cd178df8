"""Path traps: the front decides on the raw path the way the legacy app will read it."""

from __future__ import annotations

import pytest

from proxy.paths import Verdict, decide
from proxy.route_table import RouteTable
from proxy.settings import RouteSettings

TABLE = RouteTable(
    [
        RouteSettings(path="/api/items", mode="new"),
        RouteSettings(path="/api/items/{item_id:int}", mode="new"),
        RouteSettings(path="/api/old", methods=("GET", "POST"), mode="retired"),
    ]
)


def verdict(raw: bytes, method: str = "GET") -> tuple[Verdict, int]:
    decision = decide(TABLE, method, raw, 2048)
    return decision.verdict, decision.status


def test_a_canonical_migrated_path_goes_to_its_route() -> None:
    decision = decide(TABLE, "GET", b"/api/items/3", 2048)

    assert decision.verdict is Verdict.ROUTE
    assert decision.route is not None and decision.route.path == "/api/items/{item_id:int}"


def test_head_goes_to_a_new_route_only_when_listed() -> None:
    assert verdict(b"/api/items", "HEAD") == (Verdict.LEGACY, 200)


def test_head_follows_get_on_a_retired_route() -> None:
    assert verdict(b"/api/old", "HEAD") == (Verdict.ROUTE, 200)


def test_a_method_the_route_does_not_list_stays_legacy() -> None:
    assert verdict(b"/api/items", "POST") == (Verdict.LEGACY, 200)


def test_paths_that_name_no_migrated_route_go_to_legacy_untouched() -> None:
    assert verdict(b"/other/../x;y//z") == (Verdict.LEGACY, 200)


@pytest.mark.parametrize(
    "raw",
    [
        b"/api%2Fitems",  # %2F inside a segment: the legacy app would read /api/items
        b"/api%2fitems/3",
        b"//api/items",  # double slash
        b"/api//items",
        b"/x/../api/items",  # dot segments
        b"/x/%2e%2e/api/items",  # encoded dot segments
        b"/api/./items",
        b"/api/items;jsessionid=1",  # ;param
        b"/api/items/3;x",
        b"/api\\items",
    ],
)
def test_non_canonical_spellings_of_a_migrated_route_are_rejected(raw: bytes) -> None:
    assert verdict(raw) == (Verdict.REJECT, 400)


@pytest.mark.parametrize(
    "raw",
    [
        b"/api/old",
        b"/api/old/",
        b"/API/OLD",
        b"/Api/Old/",
        b"/api%2fold",
        b"//api/old",
        b"/api/./old",
        b"/x/..%2fapi/old",
        b"/api/old;v=1",
        b"/%61pi/old",
    ],
)
def test_a_retired_route_is_unreachable_by_any_spelling(raw: bytes) -> None:
    decision = decide(TABLE, "GET", raw, 2048)

    assert decision.verdict is not Verdict.LEGACY


def test_upper_case_and_trailing_slash_of_a_new_route_go_to_legacy_for_its_own_answer() -> None:
    assert verdict(b"/API/items") == (Verdict.LEGACY, 200)
    assert verdict(b"/api/items/") == (Verdict.LEGACY, 200)


def test_percent_encoded_plain_letters_are_decoded_like_the_legacy_app_does() -> None:
    assert verdict(b"/api/%69tems") == (Verdict.ROUTE, 200)


@pytest.mark.parametrize("raw", [b"/api/items%00", b"/a%00b", b"/x%0d%0aSet-Cookie:a", b"/x%7f"])
def test_control_characters_are_rejected(raw: bytes) -> None:
    assert verdict(raw) == (Verdict.REJECT, 400)


def test_over_long_paths_get_414() -> None:
    assert verdict(b"/" + b"a" * 3000) == (Verdict.REJECT, 414)


def test_without_migrated_routes_everything_but_control_characters_is_legacy() -> None:
    empty = RouteTable([])

    assert decide(empty, "GET", b"//a/../b;c%2Fd", 2048).verdict is Verdict.LEGACY
    assert decide(empty, "GET", b"/a%00", 2048).verdict is Verdict.REJECT
