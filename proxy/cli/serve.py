"""`strangler serve` and `strangler routes`: run the front, and show who answers each route."""

from __future__ import annotations

import json
import math
import os
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from proxy.cli.app import app

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="strangler.toml (default: $STRANGLER_CONFIG or ./strangler.toml)"
    ),
]


def _settings_or_exit(config: Path | None) -> Any:
    import sys

    from proxy.settings import ConfigError, load_settings

    # Like uvicorn's and gunicorn's --app-dir / --chdir default: apps are imported from the
    # current directory (a console script does not put it on sys.path by itself).
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())

    try:
        return load_settings(config)
    except ConfigError as error:
        typer.echo(f"strangler: {error}", err=True)
        raise typer.Exit(2) from None


def _front_or_exit(settings: Any, config_file: Path) -> Any:
    from proxy.app import StartupError, create_app
    from proxy.loading import AppLoadError

    try:
        return create_app(settings, config_file=config_file)
    except (AppLoadError, StartupError) as error:
        typer.echo(f"strangler: {error}", err=True)
        raise typer.Exit(2) from None


def _pin_or_exit(settings: Any, workers: int) -> None:
    """Pin this process, or with several workers only check the setting (each worker pins itself,
    to its own core, in app_from_environment)."""
    from proxy.cpu_affinity import AffinityError, apply, candidate_cores

    setting = settings.server.cpu_affinity
    try:
        if workers > 1:
            if setting:
                candidate_cores(setting)
            return
        core = apply(setting)
    except AffinityError as error:
        typer.echo(f"strangler: {error}", err=True)
        raise typer.Exit(2) from None
    if core is not None:
        typer.echo(f"strangler: pinned to CPU core {core}", err=True)


def _port_free_or_exit(host: str, port: int) -> None:
    """Say which port is taken and how to pick another, instead of uvicorn's bind traceback."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            typer.echo(
                f"strangler: cannot listen on {host}:{port} ({error.strerror}); another "
                "program may be using that port: pick another with --port N "
                "(or `make demo PORT=N`)",
                err=True,
            )
            raise typer.Exit(2) from None


@app.command()
def serve(
    config: ConfigOption = None,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Serve the legacy app through the strangler front (uvicorn)."""
    import uvicorn

    from proxy.app import CANARY_SECRET_ENV_VAR
    from proxy.http_protocol import HTTP_PROTOCOL
    from proxy.settings import config_path

    path = config_path(config).resolve()
    settings = _settings_or_exit(path)
    _port_free_or_exit(host, port)
    _pin_or_exit(settings, workers)
    if workers > 1 and not os.environ.get(CANARY_SECRET_ENV_VAR):
        # Without [canary] cookie_secret, this front's workers still share one key, so a
        # canary client keeps its side whichever worker answers it.
        os.environ[CANARY_SECRET_ENV_VAR] = secrets.token_urlsafe(32)
    front = _front_or_exit(settings, path)  # fails here, with a clear message, before listening
    from proxy.app import freeze_startup_objects

    freeze_startup_objects()
    target: Any = front
    factory = False
    if workers > 1:  # each worker process builds its own front from STRANGLER_CONFIG
        os.environ["STRANGLER_CONFIG"] = str(path)
        target, factory = "proxy.app:app_from_environment", True
    uvicorn.run(
        target,
        factory=factory,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        http=HTTP_PROTOCOL,  # [edge] header limits and timeouts, enforced while reading
        timeout_keep_alive=settings.edge.keepalive_timeout,
        proxy_headers=False,  # X-Forwarded-* are the front's business ([proxy] trusted_proxies)
        server_header=False,
        access_log=False,  # the front logs one structured line per request itself
        log_level="info",
        # In-flight legacy calls may take legacy_timeout: drain at least that long, plus time
        # for the last response to be sent.
        timeout_graceful_shutdown=max(10, math.ceil(settings.legacy.legacy_timeout) + 5),
    )


@app.command()
def routes(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
) -> None:
    """List every legacy and migrated route, its configured and live mode, who answers it."""
    from proxy.cli.operating import log_to_stderr
    from proxy.route_report import inspect_routes
    from proxy.settings import config_path

    log_to_stderr()  # what reading the store logs stays out of --json
    path = config_path(config)
    settings = _settings_or_exit(path)
    try:
        inspection = inspect_routes(settings, path)
    except Exception as error:  # an app that cannot be imported is reported, not a traceback
        typer.echo(f"strangler: {error}", err=True)
        raise typer.Exit(2) from None
    rows = inspection.rows
    if inspection.migrated_error is not None:
        typer.echo(
            f"strangler: warning: {inspection.migrated_error} (serve answers its new routes 503)",
            err=True,
        )
    for problem in inspection.problems:
        kind = "error" if problem.error else "warning"
        typer.echo(f"strangler: {kind}: {problem.message}", err=True)
    if as_json:
        typer.echo(json.dumps([row.as_dict() for row in rows], indent=2))
        if any(problem.error for problem in inspection.problems):
            raise typer.Exit(2)
        return
    from rich.table import Table

    from proxy.cli.operating import console

    table = Table(title=f"routes ({len(rows)})")
    columns = ("path", "methods", "configured", "live", "answered by", "legacy rule",
               "migrated handler")  # fmt: skip
    for column in columns:
        table.add_column(column)
    for row in rows:
        live = row.mode + (f" {row.weight}%" if row.mode == "canary" else "")
        table.add_row(
            row.path,
            ",".join(row.methods) or "*",
            row.configured_mode,
            live + (" *" if row.mode != row.configured_mode else ""),
            row.answered_by,
            row.legacy or "-",
            row.migrated or "-",
        )
    out = console()
    out.print(table)  # not cut when stdout is not a terminal
    if any(row.mode != row.configured_mode for row in rows):
        out.print("* the store's live mode differs from the file's (strangler status, audit)")
    if any(problem.error for problem in inspection.problems):
        raise typer.Exit(2)  # `strangler serve` would refuse to start
