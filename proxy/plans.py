"""Step plans: `strangler plan ROUTE --step shadow:30m --step canary:10:10m --step new`.

A step is `MODE[:WEIGHT][:DURATION]`; the weight is for canary only, the duration (`90s`, `30m`,
`2h`) is how long the step holds before the next, and the last step has none. `advance()` is
the pure decision the front takes on a timer: while the analysis is healthy and the step's time
is up, the next step; a paused, aborted or finished plan does not move. Pausing, resuming and
aborting are changes of the plan's `status` written to the store like any other change.
"""

from __future__ import annotations

import re
from dataclasses import replace

from proxy.store.model import MODES, Desired, InvalidState, Plan, PlanStatus, PlanStep

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(s|m|h)$")
_UNIT = {"s": 1, "m": 60, "h": 3600}


def parse_duration(text: str) -> float:
    match = _DURATION.match(text.strip())
    if not match:
        raise InvalidState(f"{text!r}: a duration is a number and s, m or h (30m, 90s, 2h)")
    return float(match[1]) * _UNIT[match[2]]


def parse_step(text: str) -> PlanStep:
    parts = text.strip().split(":")
    mode = parts[0]
    if mode not in MODES:
        raise InvalidState(f"step {text!r}: unknown mode {mode!r} (modes: {', '.join(MODES)})")
    rest = parts[1:]
    weight = 0
    if mode == "canary":
        if not rest or not rest[0].isdigit() or not 0 <= int(rest[0]) <= 100:
            raise InvalidState(f"step {text!r}: canary needs a weight 0-100 (canary:10:10m)")
        weight, rest = int(rest[0]), rest[1:]
    if len(rest) > 1:
        raise InvalidState(f"step {text!r}: expected MODE[:WEIGHT][:DURATION]")
    seconds = parse_duration(rest[0]) if rest else None
    return PlanStep(mode, weight, seconds)


def parse_plan(steps: list[str], now: float) -> Plan:
    parsed = tuple(parse_step(step) for step in steps)
    if not parsed:
        raise InvalidState("a plan needs at least one --step")
    for step in parsed[:-1]:
        if step.seconds is None:
            raise InvalidState(
                f"step {step.mode}: every step but the last needs a duration (e.g. {step.mode}:30m)"
            )
    return Plan(parsed, current=0, status="running", step_started_at=now)


def step_state(plan: Plan) -> Desired:
    """The mode, weight and plan a route has while `plan` is at its current step."""
    step = plan.steps[plan.current]
    return Desired(step.mode, step.weight if step.mode == "canary" else 0, plan)


def advance(plan: Plan, now: float, *, healthy: bool) -> Desired | None:
    """The next state when the plan should move on now, else None. Reaching the last step
    finishes the plan (`done`): the last step then holds."""
    if plan.status != "running" or not healthy or plan.current >= len(plan.steps) - 1:
        return None
    step = plan.steps[plan.current]
    if step.seconds is None or now - plan.step_started_at < step.seconds:
        return None
    following = plan.current + 1
    status: PlanStatus = "done" if following == len(plan.steps) - 1 else "running"
    return step_state(replace(plan, current=following, step_started_at=now, status=status))


def step_text(step: PlanStep) -> str:
    """`canary:10:10m`: a step as `--step` writes it."""
    text = f"{step.mode}:{step.weight}" if step.mode == "canary" else step.mode
    if step.seconds is not None:
        text += ":" + duration_text(step.seconds)
    return text


def duration_text(seconds: float) -> str:
    """`72h`, `30m`, `90s`: the largest unit that divides it, as a duration is written."""
    for unit in ("h", "m"):
        if seconds % _UNIT[unit] == 0:
            return f"{seconds / _UNIT[unit]:g}{unit}"
    return f"{seconds:g}s"


def plan_step(plan: Plan | None) -> str | None:
    """`2/4 canary:10 10m (running)`: the current step of a plan, as a person reads it."""
    if plan is None:
        return None
    step = plan.steps[plan.current]
    text = f"{plan.current + 1}/{len(plan.steps)} {step.mode}"
    if step.mode == "canary":
        text += f":{step.weight}"
    if step.seconds is not None:
        text += f" {step.seconds / 60:g}m"
    return f"{text} ({plan.status})"
