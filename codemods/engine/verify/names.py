"""Names: undefined names, imports shadowing a name, unused imports, by pyflakes.

Only what the codemod introduced is reported: a message the legacy module already had (the same
kind about the same name) is the legacy code's own. An import is named by its last two parts
(`models.Authority`, `base.*`): the own-imports rule makes `from lemur.x.models import Authority`
relative. A line its author marked `# noqa` (bare, or naming the message's code) is not checked,
as ruff and flake8 do not check it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pyflakes import checker, messages

from codemods.engine.verify.failures import Failure

# pyflakes message -> the ruff/flake8 code a noqa comment names (`noqa: F401`)
CODES: dict[type[messages.Message], str] = {
    messages.UndefinedName: "F821",
    messages.UndefinedLocal: "F823",
    messages.RedefinedWhileUnused: "F811",
    messages.ImportShadowedByLoopVar: "F402",
    messages.UnusedImport: "F401",
}
NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
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
    lines = source.splitlines()
    for message in checker.Checker(tree, filename=filename).messages:
        if not isinstance(message, REPORTED) or _silenced(message, lines):
            continue
        text = message.message % message.message_args
        name = str(message.message_args[0]) if message.message_args else ""
        if isinstance(message, messages.UnusedImport):
            name = ".".join(name.lstrip(".").split(".")[-2:])
        found.append((message.lineno, text, (type(message).__name__, name)))
    return found


def _silenced(message: messages.Message, lines: list[str]) -> bool:
    """Whether the message's line carries a `# noqa` that covers it."""
    line = lines[message.lineno - 1] if 0 < message.lineno <= len(lines) else ""
    marker = NOQA.search(line)
    if marker is None:
        return False
    codes = marker.group("codes")
    return codes is None or CODES.get(type(message), "") in codes.upper()


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
