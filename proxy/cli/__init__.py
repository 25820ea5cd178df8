"""Entry point of the `strangler` command.

Each command module registers itself on `proxy.cli.app.app` when imported. Command modules keep
their heavy imports (fastapi, libcst, schemathesis) inside the command functions so that
`strangler --help` and every command start fast.
"""

from proxy.cli import admin, codemod, parity, serve
from proxy.cli.app import app

__all__ = ["admin", "app", "codemod", "main", "parity", "serve"]


def main() -> None:
    app()
