"""Entry point of the `strangler` command.

Each command module registers itself on `proxy.cli.app.app` when imported. Command modules keep
their heavy imports (fastapi, libcst, schemathesis) inside the command functions so that
`strangler --help` and every command start fast.
"""

from proxy.cli import admin, audit, codemod, cutover, parity, plan, serve, status
from proxy.cli.app import app

__all__ = [
    "admin",
    "app",
    "audit",
    "codemod",
    "cutover",
    "main",
    "parity",
    "plan",
    "serve",
    "status",
]


def main() -> None:
    app()
