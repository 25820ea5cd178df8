"""`strangler admin token --role operator --name NAME`: make an admin API token.

The token is printed once, with the `[[admin.tokens]]` lines to add to strangler.toml (which
holds only its SHA-256). Exit codes: 0 made, 2 bad input (a name already in the config).
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Annotated

import typer

from proxy.cli.app import app

admin_app = typer.Typer(help="Admin API access.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


def _names_in(config: Path) -> set[str]:
    from pydantic import ValidationError

    from proxy.admin_tokens import AdminSettings

    try:
        raw = tomllib.loads(config.read_text())
        settings = AdminSettings.model_validate(raw.get("admin", {}))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        typer.echo(f"strangler: {config}: {error}", err=True)
        raise typer.Exit(2) from None
    return {token.name for token in settings.tokens}


@admin_app.command()
def token(
    role: Annotated[str, typer.Option("--role", help="viewer (reads) or operator (also changes)")],
    name: Annotated[str, typer.Option("--name", help="who will hold it (shown in the audit log)")],
    config: Annotated[
        Path | None,
        typer.Option(
            "-c",
            "--config",
            help="refuse a name this config already has (default: $STRANGLER_CONFIG, "
            "else ./strangler.toml when it exists)",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print one JSON object instead of text")
    ] = False,
) -> None:
    """Make an admin API token; print it once, with the lines to add to the config."""
    import re

    from proxy.admin_tokens import NAME_PATTERN, ROLES, config_lines, make_token, token_hash

    if role not in ROLES:
        typer.echo(f"strangler: --role {role!r}: use one of {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    if not re.match(NAME_PATTERN, name):
        typer.echo(
            f"strangler: --name {name!r}: 1-64 letters, digits, '_', '.', '@' or '-'", err=True
        )
        raise typer.Exit(2)
    if config is None and os.environ.get("STRANGLER_CONFIG"):
        config = Path(os.environ["STRANGLER_CONFIG"])
    elif config is None and Path("strangler.toml").exists():
        config = Path("strangler.toml")
    if config is not None:
        if not config.exists():
            typer.echo(f"strangler: {config}: no such file", err=True)
            raise typer.Exit(2)
        if name in _names_in(config):
            typer.echo(f"strangler: {config} already has a token named {name!r}", err=True)
            raise typer.Exit(2)
    secret = make_token()
    lines = config_lines(name, role, secret)
    if as_json:
        typer.echo(json.dumps({
            "name": name, "role": role, "token": secret, "sha256": token_hash(secret),
            "config": lines,
        }))  # fmt: skip
        return
    typer.echo(f"token for {name} ({role}), shown once, keep it secret:\n\n    {secret}\n")
    target = str(config) if config is not None else "strangler.toml"
    typer.echo(f"add to {target}:\n\n{lines}")
