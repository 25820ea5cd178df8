"""Each mode is one class: who answers, whether it needs a migrated handler, what it reports."""

from __future__ import annotations

import pytest

from proxy.modes import MODE_CLASSES, Canary, Legacy, New, Retired, Shadow, mode_named
from proxy.modes.handlers import HandlerCheck
from proxy.store.model import MODES
from tests.unit.proxy.apps import make_migrated


def test_there_is_one_class_for_each_mode_the_store_knows() -> None:
    assert tuple(MODE_CLASSES) == MODES == ("legacy", "shadow", "canary", "new", "retired")


@pytest.mark.parametrize(
    ("mode", "needs_handler"),
    [(Legacy(), False), (Shadow(), True), (Canary(10), True), (New(), True), (Retired(), False)],
)
def test_modes_that_call_the_migrated_handler_need_one(mode: object, needs_handler: bool) -> None:
    assert mode.needs_handler is needs_handler  # type: ignore[attr-defined]


def test_only_retired_hides_the_legacy_handler_from_every_spelling() -> None:
    assert [name for name, cls in MODE_CLASSES.items() if cls.hides_legacy] == ["retired"]


def test_what_each_mode_reports_as_answering() -> None:
    reports = {name: mode_named(name, 25).answered_by() for name in MODES}

    assert reports == {
        "legacy": "legacy",
        "shadow": "legacy (mirrored to new)",
        "canary": "new for 25% of clients, legacy for the others",
        "new": "new",
        "retired": "front (404, retired)",
    }


def test_only_canary_keeps_a_weight() -> None:
    assert mode_named("canary", 30) == Canary(30)
    assert mode_named("new", 30) == New()


def test_the_handler_check_names_the_missing_methods() -> None:
    check = HandlerCheck(make_migrated())

    assert check.refusal("/api/items", ["GET", "HEAD"], New()) is None
    assert check.refusal("/api/items", ["GET", "POST"], Shadow()) == (
        "mode is shadow but the migrated app has no handler for POST"
    )
    assert check.refusal("/api/nothing", ["GET"], Legacy()) is None
    assert HandlerCheck(None).refusal("/api/items", ["GET"], Canary(5)) == (
        "mode is canary but [migrated] app is not set"
    )


def test_a_call_through_another_exchange_keeps_its_route_id_and_outcome() -> None:
    from proxy.modes import Call, Outcome

    async def receive() -> dict[str, object]:
        return {}

    async def send(message: object) -> None:
        return None

    route, outcome = object(), Outcome()
    call = Call({"path": "/a"}, receive, send, route, "id-1", outcome)  # type: ignore[arg-type]
    through = call.through({"path": "/b"}, receive, send)

    assert (through.scope, through.route, through.request_id, through.outcome) == (
        {"path": "/b"}, route, "id-1", outcome,
    )  # fmt: skip
    assert through is not call and call.scope == {"path": "/a"}
