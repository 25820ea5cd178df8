"""`strangler status`: each route's configured and live mode, weight, plan step and version.

Request/error rates and p99 per side, and the shadow counts, come from the front's workers
through the store (proxy/cutover_report.py), summed over workers; until a worker reports them
they are `n/a` (table) / null (JSON), and the shadow counts 0.
"""

from __future__ import annotations

from typing import Any

import typer

from proxy.cli.app import app
from proxy.cli.operating import ConfigOption, JsonOption, console, operating
from proxy.plans import plan_step

SIDES = ("legacy", "new")


@app.command()
def status(config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Each route's configured and live mode, canary weight, plan step and version."""
    import json
    import time

    from proxy.cutover_report import empty_summary, summarise
    from proxy.store.live import live_routes

    with operating(config) as op:
        routes = live_routes(op.settings.routes, op.store.read_all())
        reported = summarise(op.store.reports(), time.time())
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
            "shadow": {
                name: reported.get(str(route.key), empty_summary())["shadow"].get(name, 0)
                for name in ("compared", "differed", "dropped")
            },
            "sides": reported.get(str(route.key), empty_summary())["sides"],
            "latest_differences": reported.get(str(route.key), empty_summary())[
                "latest_differences"
            ],
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
            _side(row["sides"]["legacy"]),
            _side(row["sides"]["new"]),
        )
    out = console()
    out.print(table)
    out.print(
        "* live mode differs from the file. legacy/new: requests/s, 5xx share and p99 over "
        "each route's rollback window, summed over the front's workers (n/a until one reports).",
        soft_wrap=True,
    )


def _side(numbers: dict[str, Any]) -> str:
    if numbers.get("request_rate") is None:
        return "n/a"
    error = numbers["error_rate"]
    p99 = numbers["p99_ms"]
    return (
        f"{numbers['request_rate']:g}/s, "
        f"{'-' if error is None else f'{error:.1%}'} 5xx, "
        f"p99 {'-' if p99 is None else f'{p99:g} ms'}"
    )
