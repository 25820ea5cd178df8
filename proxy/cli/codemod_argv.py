"""`strangler codemod flask|django SRC --out DEST [options]` run without typer when its command
line is plain.

Importing typer, and building the pydantic adapters it checks each parameter with, costs a
fresh process about 0.15 s of CPU: half of what a bare libcst parse+render of a small app
costs. A plain command line (the options of the typer commands in proxy/cli/codemod.py, each at
most once, spelled `--name value`, `--name=value` or as a flag, and one SRC) runs the commands'
body directly. Anything else (help, an unknown or repeated option, a missing value, a value
starting with `-`) goes to typer, which answers it as always.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from proxy.cli.codemod_run import BAD_ARGUMENTS, BadArguments, convert_django, convert_flask

# option -> the parameter of convert_flask/convert_django it sets
COMMON_OPTIONS = {
    "--out": "out",
    "--only": "only",
    "--dry-run": "dry_run",
    "--report": "report",
    "--force": "force",
    "--no-verify": "no_verify",
}
OWN_OPTIONS = {
    "flask": {"--app": "legacy_app", "--new-app": "new_app"},
    "django": {"--settings": "settings"},
}
FLAGS = frozenset({"dry_run", "force", "no_verify"})
PATHS = frozenset({"out", "report"})
_CONVERT: dict[str, Callable[..., None]] = {"flask": convert_flask, "django": convert_django}


def plain_call(argv: list[str]) -> Callable[[], None] | None:
    """The command `argv` (without the program name) asks for, when it is a plain codemod
    command line; None for typer to parse."""
    if len(argv) < 2 or argv[0] != "codemod" or argv[1] not in OWN_OPTIONS:
        return None
    options = {**COMMON_OPTIONS, **OWN_OPTIONS[argv[1]]}
    values: dict[str, object] = {}
    sources: list[str] = []
    tokens = iter(argv[2:])
    for token in tokens:
        if not token.startswith("-"):
            sources.append(token)
            continue
        name, equals, value = token.partition("=")
        parameter = options.get(name)
        if parameter is None or parameter in values:
            return None
        if parameter in FLAGS:
            if equals:
                return None
            values[parameter] = True
            continue
        if not equals:
            value = next(tokens, "-")  # none left: typer says the value is missing
            if value.startswith("-"):
                return None
        values[parameter] = Path(value) if parameter in PATHS else value
    if len(sources) != 1 or "out" not in values:
        return None
    return partial(_CONVERT[argv[1]], sources[0], **values)


def run_plain(argv: list[str]) -> bool:
    """Run a plain codemod command line as typer would (its exit codes, `Aborted!` on ^C);
    False when `argv` is not one."""
    call = plain_call(argv)
    if call is None:
        return False
    try:
        call()
    except BadArguments:
        sys.exit(BAD_ARGUMENTS)
    except (EOFError, KeyboardInterrupt):
        print("\nAborted!", file=sys.stderr)
        sys.exit(1)
    return True
