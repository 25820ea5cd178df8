"""`strangler plan ROUTE --step shadow:30m --step canary:10:10m --step new`: store a step plan,
which the front advances while the analysis stays healthy; `--pause`, `--resume`, `--abort`."""

from __future__ import annotations

import json
import time
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
from proxy.plans import plan_step
from proxy.store.model import InvalidState


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
    from proxy.admin import changes  # prometheus_client: not at the command line's start-up
    from proxy.modes.handlers import flip_refusals
    from proxy.plans import parse_plan

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
        try:
            if new_plan is not None:
                state = changes.start_plan(
                    op.store, key, new_plan, who=who(), why=reason, if_version=if_version,
                    refusal=flip_refusals(op.settings, key.path, key.methods),
                )  # fmt: skip
            elif actions:
                state = changes.control_plan(
                    op.store, key, actions[0], who=who(), why=reason, if_version=if_version
                )
            else:
                state = op.store.read(key)  # type: ignore[assignment]
        except changes.Refused as error:
            fail(f"refused: {error}", REFUSED)
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
