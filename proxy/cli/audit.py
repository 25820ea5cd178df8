"""`strangler audit`: every change of the routes' live state: who, when, from, to, why."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import typer

from proxy.cli.app import app
from proxy.cli.operating import ConfigOption, JsonOption, MethodOption, console, operating


def _when(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")


def _side(mode: str | None, weight: int | None) -> str:
    if mode is None:
        return "(file)"
    return f"{mode} {weight}" if mode == "canary" else mode


@app.command()
def audit(
    config: ConfigOption = None,
    route: Annotated[
        str | None, typer.Option("--route", help="only this route (its path in strangler.toml)")
    ] = None,
    method: MethodOption = None,
    limit: Annotated[int, typer.Option("--limit", help="the latest N changes", min=1)] = 100,
    as_json: JsonOption = False,
) -> None:
    """The latest changes, oldest first: who, when, route, from, to, version, why."""
    with operating(config) as op:
        key = op.route(route, method)[1] if route is not None else None
        entries = op.store.audit(route=key, limit=limit)
    if as_json:
        typer.echo(json.dumps([asdict(entry) for entry in entries], indent=2))
        return
    from rich.table import Table

    table = Table(title=f"audit ({len(entries)} changes)")
    for column in ("when (UTC)", "who", "route", "from", "to", "version", "why"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(
            _when(entry.at),
            entry.who,
            entry.route,
            _side(entry.from_mode, entry.from_weight),
            _side(entry.to_mode, entry.to_weight),
            str(entry.version),
            entry.why or "-",
        )
    console().print(table)
