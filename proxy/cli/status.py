"""`strangler status`: each route's configured and live mode, weight, plan step and version.

Request/error rates and p99 per side, and the shadow counts, come from the front through the
store; until the front reports them they are `n/a` (table) / null (JSON), and the shadow counts 0.
"""

from __future__ import annotations

from typing import Any

import typer

from proxy.cli.app import app
from proxy.cli.operating import ConfigOption, JsonOption, console, operating
from proxy.store.model import Plan

SIDES = ("legacy", "new")


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


@app.command()
def status(config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Each route's configured and live mode, canary weight, plan step and version."""
    import json

    from proxy.store.live import live_routes

    with operating(config) as op:
        routes = live_routes(op.settings.routes, op.store.read_all())
    rows: list[dict[str, Any]] = [
        {
            "path": route.key.path,
            "methods": list(route.key.methods),
            "configured_mode": route.configured_mode,
            "mode": route.mode,
            "weight": route.weight,
            "version": route.version,
            "plan": route.plan.to_json() if route.plan is not None else None,
            "plan_step": plan_step(route.plan),
            "shadow": {"compared": 0, "differed": 0, "dropped": 0},
            "sides": {
                side: {"request_rate": None, "error_rate": None, "p99_ms": None} for side in SIDES
            },
        }
        for route in routes
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    table = Table(title=f"routes ({len(rows)})")
    columns = ("path", "methods", "configured", "live", "weight", "plan step", "version")
    for column in (*columns, "shadow compared/differed/dropped", "legacy", "new"):
        table.add_column(column, overflow="fold")
    for row in rows:
        shadow = row["shadow"]
        table.add_row(
            row["path"],
            ",".join(row["methods"]),
            row["configured_mode"],
            row["mode"] + (" *" if row["mode"] != row["configured_mode"] else ""),
            str(row["weight"]) if row["mode"] == "canary" else "-",
            row["plan_step"] or "-",
            str(row["version"]) if row["version"] else "- (file)",
            f"{shadow['compared']}/{shadow['differed']}/{shadow['dropped']}",
            "n/a",
            "n/a",
        )
    out = console()
    out.print(table)
    out.print(
        "* live mode differs from the file. legacy/new: request rate, error rate and p99 per "
        "side are n/a until the front reports them to the store.",
        soft_wrap=True,
    )
