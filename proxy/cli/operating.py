"""What the cutover commands (status, cutover, rollback, plan, audit) share: their options, the
config and the state store it names, the route a command line picks, the exit codes, and tables
that are not cut when the output is not a terminal.

Exit codes: 0 done; 1 refused (a version conflict, a guard); 2 bad input or an unknown route;
3 the store cannot be reached.
"""

from __future__ import annotations

import getpass
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from proxy.settings import RouteSettings, StranglerSettings
    from proxy.store import RouteKey, StateStore

DONE, REFUSED, BAD_INPUT, UNREACHABLE = 0, 1, 2, 3

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="strangler.toml (default: $STRANGLER_CONFIG or ./strangler.toml)"
    ),
]
MethodOption = Annotated[
    str | None,
    typer.Option("--method", help="the entry for this HTTP method, where a path has several"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
RouteArgument = Annotated[str, typer.Argument(help="the route's path as written in strangler.toml")]


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"strangler: {message}", err=True)
    raise typer.Exit(code)


def who() -> str:
    """The audit log's "who" for a change made from this command line: `$USER@hostname`."""
    user = os.environ.get("USER")
    if not user:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = "unknown"
    return f"{user}@{socket.gethostname()}"


class Operation:
    """The settings of a command's config, and its store, opened on first use (so a bad route
    is reported as such even when the store is down)."""

    def __init__(self, settings: StranglerSettings, path: Path) -> None:
        self.settings = settings
        self._path = path
        self._store: StateStore | None = None

    @property
    def store(self) -> StateStore:
        from proxy.store import default_store_url, open_store

        if self._store is None:
            url = self.settings.store.url or default_store_url(self._path)
            self._store = open_store(
                url, base_dir=self._path.resolve().parent, key_prefix=self.settings.store.key_prefix
            )
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def route(self, path: str, method: str | None) -> tuple[RouteSettings, RouteKey]:
        """The `[[routes]]` entry a command line names, else exit 2 listing near matches."""
        from proxy.store.live import UnknownRoute, key_of, pick_route

        try:
            entry = pick_route(self.settings.routes, path, method)
        except UnknownRoute as error:
            fail(str(error), BAD_INPUT)
        return entry, key_of(entry)  # type: ignore[return-value]


class _CurrentStderr:
    """Whatever sys.stderr is when a line is written (a test runner may swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def log_to_stderr() -> None:
    """Log lines of the pieces a command calls (a rollback's) go to stderr, not into --json."""
    import structlog

    if not structlog.is_configured():
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()))  # type: ignore[arg-type]


def unreachable(error: Exception, config: Path) -> str:
    """What a command says when the state store cannot be reached (it then exits 3)."""
    return f"{error} (is the store running? [store] url in {config})"


@contextmanager
def operating(config: Path | None) -> Iterator[Operation]:
    """The settings and the store of `config`; store and input errors become exit codes."""
    from proxy.settings import ConfigError, config_path, load_settings
    from proxy.store import InvalidState, StoreUnreachable, VersionConflict

    log_to_stderr()
    path = config_path(config)
    try:
        settings = load_settings(path)
    except ConfigError as error:
        fail(str(error), BAD_INPUT)
    operation = Operation(settings, path)
    try:
        yield operation
    except StoreUnreachable as error:
        fail(unreachable(error, path), UNREACHABLE)
    except VersionConflict as error:
        fail(f"refused: {error}", REFUSED)
    except InvalidState as error:
        fail(str(error), BAD_INPUT)
    finally:
        operation.close()


def console() -> Console:
    """stdout; when it is not a terminal (CI logs, pipes) wide enough that no table is cut."""
    from rich.console import Console

    out = Console(highlight=False)
    if not out.is_terminal:
        out.width = 1000
    return out
