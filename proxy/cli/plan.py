"""`strangler plan ROUTE --step shadow:30m --step canary:10:10m --step new`: store a step plan,
which the front advances while the analysis stays healthy; `--pause`, `--resume`, `--abort`."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Annotated

import typer

from proxy.cli.app import app
from proxy.cli.cutover import IfVersionOption, ReasonOption
from proxy.cli.operating import (
    BAD_INPUT,
    REFUSED,
    ConfigOption,
    JsonOption,
    MethodOption,
    RouteArgument,
    fail,
    operating,
    who,
)
from proxy.cli.status import plan_step
from proxy.store.model import Desired, InvalidState, Plan, PlanStatus

_NEXT_STATUS: dict[str, tuple[tuple[str, ...], PlanStatus]] = {
    "pause": (("running",), "paused"),
    "resume": (("paused",), "running"),
    "abort": (("running", "paused"), "aborted"),
}


@app.command()
def plan(
    route: RouteArgument,
    step: Annotated[
        list[str] | None,
        typer.Option(
            "--step",
            help="MODE[:WEIGHT][:DURATION], repeatable, in order: shadow:30m canary:10:10m new",
        ),
    ] = None,
    pause: Annotated[bool, typer.Option("--pause", help="hold the current step")] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="go on; the current step's time starts again")
    ] = False,
    abort: Annotated[
        bool, typer.Option("--abort", help="stop the plan; the route keeps its current mode")
    ] = False,
    reason: ReasonOption = "",
    method: MethodOption = None,
    if_version: IfVersionOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store a step plan for a route (it starts at its first step), or pause/resume/abort it.

    Without --step or a control flag, show the route's plan.
    """
    from proxy.plans import parse_plan, step_state

    actions = [name for name, wanted in (("pause", pause), ("resume", resume), ("abort", abort))
               if wanted]  # fmt: skip
    if len(actions) + bool(step) > 1:
        fail("give --step ... or one of --pause, --resume, --abort", BAD_INPUT)
    now = time.time()
    try:
        new_plan = parse_plan(step, now) if step else None
    except InvalidState as error:
        fail(str(error), BAD_INPUT)
    with operating(config) as op:
        _, key = op.route(route, method)
        current = op.store.read(key)
        existing = current.plan if current is not None else None
        expected = if_version if if_version is not None else (current.version if current else 0)
        if new_plan is not None:
            if existing is not None and existing.status in ("running", "paused"):
                fail(
                    f"refused: {key} already has a {existing.status} plan; "
                    f"`strangler plan {key.path} --abort` first",
                    REFUSED,
                )
            state = op.store.compare_and_set(
                key, expected, step_state(new_plan), who=who(), why=reason or "plan started"
            )
        elif actions:
            allowed, status = _NEXT_STATUS[actions[0]]
            if current is None or existing is None or existing.status not in allowed:
                found = existing.status if existing is not None else "no"
                fail(f"refused: {key} has {found} plan; nothing to {actions[0]}", REFUSED)
            changed: Plan = replace(existing, status=status)
            if status == "running":
                changed = replace(changed, step_started_at=now)
            state = op.store.compare_and_set(
                key,
                expected,
                Desired(current.mode, current.weight, changed),
                who=who(),
                why=reason or f"plan {actions[0]}",
            )
        else:
            state = current  # type: ignore[assignment]
    shown = state.plan if state is not None else None
    if as_json:
        typer.echo(json.dumps({
            "route": str(key), "plan": shown.to_json() if shown is not None else None,
            "plan_step": plan_step(shown), "mode": state.mode if state else None,
            "weight": state.weight if state else None, "version": state.version if state else 0,
        }, indent=2))  # fmt: skip
    elif shown is None or state is None:
        typer.echo(f"{key}: no plan")
    else:
        typer.echo(f"{key}: plan at step {plan_step(shown)}, version {state.version}")
