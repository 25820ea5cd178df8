"""`strangler cutover ROUTE --to MODE` and `strangler rollback ROUTE|--all`: change a route's
live mode in the state store, one compare-and-set on its version, recorded in the audit log."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from proxy.cli.app import app
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
from proxy.store.model import MODES, RouteKey, RouteState

ReasonOption = Annotated[str, typer.Option("--reason", help="why (kept in the audit log)")]
IfVersionOption = Annotated[
    int | None,
    typer.Option(
        "--if-version",
        help="change only if the route is still at this version (see `strangler status`)",
    ),
]


def _describe(mode: str, weight: int) -> str:
    return f"canary {weight}%" if mode == "canary" else mode


def report(key: RouteKey, before: str, state: RouteState, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({
            "route": str(key), "path": key.path, "methods": list(key.methods),
            "mode": state.mode, "weight": state.weight, "version": state.version,
        }))  # fmt: skip
    else:
        after = _describe(state.mode, state.weight)
        typer.echo(f"{key}: {before} -> {after} (version {state.version})")


@app.command()
def cutover(
    route: RouteArgument,
    to: Annotated[str, typer.Option("--to", help=f"the new mode: {', '.join(MODES)}")],
    weight: Annotated[
        int | None, typer.Option("--weight", help="canary only: percent of clients on new, 0-100")
    ] = None,
    reason: ReasonOption = "",
    method: MethodOption = None,
    if_version: IfVersionOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="abort the route's running or paused plan to do this")
    ] = False,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set a route's live mode (any mode to any); every worker applies it within a second."""
    from proxy.admin import changes
    from proxy.modes.handlers import flip_refusals

    if to not in MODES:
        fail(f"--to {to!r}: not a mode (modes: {', '.join(MODES)})", BAD_INPUT)
    if weight is not None and to != "canary":
        fail("--weight is for --to canary only", BAD_INPUT)
    if weight is not None and not 0 <= weight <= 100:
        fail(f"--weight {weight}: a percentage from 0 to 100", BAD_INPUT)
    with operating(config) as op:
        entry, key = op.route(route, method)
        refusal = flip_refusals(op.settings, key.path, key.methods)
        try:
            change = changes.cutover(
                op.store, key, (str(entry.mode), entry.weight), to, weight=weight, who=who(),
                why=reason, if_version=if_version, force=force, refusal=refusal,
            )  # fmt: skip
        except changes.Refused as error:
            fail(f"refused: {error}", REFUSED)
    if not change.changed and not as_json:
        state = change.state
        typer.echo(f"{key}: already {change.before} (version {state.version}); nothing to do")
        return
    report(key, change.before, change.state, as_json)


@app.command()
def rollback(
    route: Annotated[
        str | None, typer.Argument(help="the route's path as written in strangler.toml")
    ] = None,
    all_routes: Annotated[
        bool, typer.Option("--all", help="every route of the config that is not at legacy")
    ] = False,
    reason: ReasonOption = "manual rollback",
    method: MethodOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set a route (or every route) back to legacy, weight 0, its plan aborted."""
    from proxy.admin import changes
    from proxy.store.live import key_of

    if (route is None) == (not all_routes):
        fail("give one ROUTE or --all", BAD_INPUT)
    done = []
    with operating(config) as op:
        if all_routes:
            entries = {key_of(entry): str(entry.mode) for entry in op.settings.routes}
        else:
            entry, key = op.route(route or "", method)
            entries = {key: str(entry.mode)}
        for key, configured in entries.items():
            state = changes.rollback(op.store, key, configured, who=who(), why=reason)
            done.append({"route": str(key), "rolled_back": state is not None,
                         "version": state.version if state is not None else None})  # fmt: skip
            if not as_json:
                if state is None:
                    typer.echo(f"{key}: already at legacy; nothing to do")
                else:
                    typer.echo(f"{key}: rolled back to legacy (version {state.version})")
    if as_json:
        typer.echo(json.dumps(done, indent=2))
