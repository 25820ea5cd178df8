"""Names: undefined names, imports shadowing a name, unused imports, by pyflakes.

Only what the codemod introduced is reported: a message the legacy module already had (the same
kind about the same name) is the legacy code's own.
"""

from __future__ import annotations

import ast
from pathlib import Path

from pyflakes import checker, messages

from codemods.engine.verify.failures import Failure

REPORTED: tuple[type[messages.Message], ...] = (
    messages.UndefinedName,  # F821: a dropped import, a name nothing defines
    messages.UndefinedLocal,
    messages.RedefinedWhileUnused,  # F811: an import hiding another binding
    messages.ImportShadowedByLoopVar,
    messages.UnusedImport,  # F401
)


def problems(source: str, filename: str) -> list[tuple[int, str, tuple[str, str]]]:
    """(line, message text, (kind, name)) for each reported pyflakes message of `source`."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        return [(error.lineno or 1, f"does not parse: {error.msg}", ("syntax", ""))]
    found = []
    for message in checker.Checker(tree, filename=filename).messages:
        if isinstance(message, REPORTED):
            text = message.message % message.message_args
            name = str(message.message_args[0]) if message.message_args else ""
            found.append((message.lineno, text, (type(message).__name__, name)))
    return found


def check_module(generated: str, legacy: str | Path | None, module: str) -> list[Failure]:
    """The name failures of one generated module (`module`: its path relative to DEST), given
    its legacy twin's text or file (read only when the generated module has messages)."""
    found = problems(generated, module)
    if not found:
        return []
    if isinstance(legacy, Path):
        legacy = legacy.read_text(encoding="utf-8")
    known = {key for _, _, key in problems(legacy, module)} if legacy is not None else set()
    failures = []
    for line, text, key in found:
        if key in known:
            continue
        failures.append(Failure("names", f"{module}:{line}: {text}", module=module, line=line))
    return failures
