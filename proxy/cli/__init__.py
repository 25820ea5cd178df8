"""Entry point of the `strangler` command.

Each command module registers itself on the Typer application (`proxy.cli.typer_app.app`) when
imported; `proxy.cli.app` is that application with every command registered. Command modules
keep their heavy imports (fastapi, libcst, schemathesis) inside the command functions so that
`strangler --help` and every command start fast; a plain `strangler codemod flask|django` command
line does not even import typer (codemod_argv.py).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

COMMANDS = ("admin", "audit", "codemod", "cutover", "parity", "plan", "serve", "status")

__all__ = ["app", "main", *COMMANDS]


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    for command in COMMANDS:
        importlib.import_module(f"{__name__}.{command}")
    from proxy.cli.typer_app import app

    globals()["app"] = app
    return app


def main() -> None:
    from proxy.cli.codemod_argv import run_plain

    if not run_plain(sys.argv[1:]):
        __getattr__("app")()
