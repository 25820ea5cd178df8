"""Step plans: parsed from `--step`, advanced only while healthy and when a step's time is up."""

from __future__ import annotations

from dataclasses import replace

import pytest

from proxy.plans import advance, parse_plan, parse_step, step_state, step_text
from proxy.store import InvalidState, PlanStep

STEPS = ["shadow:30m", "canary:10:10m", "canary:50:30m", "new"]


def test_steps_are_parsed_with_weights_and_durations() -> None:
    assert parse_step("shadow:30m") == PlanStep("shadow", 0, 1800)
    assert parse_step("canary:10:90s") == PlanStep("canary", 10, 90)
    assert parse_step("new") == PlanStep("new", 0, None)
    assert parse_step("canary:50:2h").seconds == 7200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nwe", "unknown mode 'nwe'"),
        ("canary:10m", "canary needs a weight"),
        ("canary:101:10m", "canary needs a weight"),
        ("shadow:30 minutes", "a duration is"),
        ("shadow:1m:2m", "expected MODE"),
    ],
)
def test_a_bad_step_is_refused_with_why(text: str, message: str) -> None:
    with pytest.raises(InvalidState, match=message):
        parse_step(text)


def test_every_step_but_the_last_needs_a_duration() -> None:
    with pytest.raises(InvalidState, match="needs a duration"):
        parse_plan(["shadow", "new"], now=0)


def test_a_plan_starts_at_its_first_step() -> None:
    desired = step_state(parse_plan(STEPS, now=100))
    assert (desired.mode, desired.weight) == ("shadow", 0)


def test_a_step_holds_until_its_time_is_up() -> None:
    plan = parse_plan(STEPS, now=0)
    assert advance(plan, now=1799, healthy=True) is None
    moved = advance(plan, now=1800, healthy=True)
    assert moved is not None and (moved.mode, moved.weight) == ("canary", 10)
    assert moved.plan is not None and moved.plan.step_started_at == 1800


def test_an_unhealthy_route_does_not_advance() -> None:
    assert advance(parse_plan(STEPS, now=0), now=10_000, healthy=False) is None


def test_a_paused_or_aborted_plan_does_not_advance() -> None:
    plan = parse_plan(STEPS, now=0)
    for status in ("paused", "aborted"):
        assert advance(replace(plan, status=status), now=10_000, healthy=True) is None


def test_reaching_the_last_step_finishes_the_plan() -> None:
    plan = replace(parse_plan(STEPS, now=0), current=2, step_started_at=0)
    done = advance(plan, now=1800, healthy=True)
    assert done is not None and done.mode == "new" and done.plan is not None
    assert done.plan.status == "done"
    assert advance(done.plan, now=99_999, healthy=True) is None


@pytest.mark.parametrize(
    ("text", "written"),
    [("shadow:30m", "shadow:30m"), ("canary:10:72h", "canary:10:72h"),
     ("canary:50:90s", "canary:50:90s"), ("new", "new"), ("legacy:1.5h", "legacy:90m")],
)  # fmt: skip
def test_a_step_is_written_back_as_a_step_is_given(text: str, written: str) -> None:
    assert step_text(parse_step(text)) == written
