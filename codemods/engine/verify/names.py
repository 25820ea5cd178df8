"""Names: undefined names, imports shadowing a name, unused imports, by pyflakes.

Only what the codemod introduced is reported: a message the legacy module already had (the same
kind about the same name) is the legacy code's own. An import is named by its last two parts
(`models.Authority`, `base.*`): the own-imports rule makes `from lemur.x.models import Authority`
relative. A line its author marked `# noqa` (bare, or naming the message's code) is not checked,
as ruff and flake8 do not check it.

A module's answer is kept beside the warm verification server's socket
(`strangler-verify-warm-<uid>/names-checked`), keyed by pyflakes' and Python's versions, the
module's path and its text: a run whose module (or legacy twin) has the same text as in an
earlier run reads it there instead of checking again. `STRANGLER_VERIFY_WARM=0` turns the cache
off with the server.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyflakes
from pyflakes import checker, messages

from codemods.engine.verify import warm
from codemods.engine.verify.failures import Failure

KEPT = 2048  # the cached answers kept (beside the warm verification server's socket)

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


Problem = tuple[int, str, tuple[str, str]]


def problems(source: str, filename: str) -> list[Problem]:
    """(line, message text, (kind, name)) for each reported pyflakes message of `source`; a text
    checked in an earlier run (the same module's same text) is answered from the cache."""
    if not warm.enabled():
        return _problems(source, filename)
    text = f"{pyflakes.__version__}\0{sys.version}\0{filename}\0{source}"
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    path = _folder() / f"{key}.json"
    with contextlib.suppress(OSError, ValueError, TypeError):
        return [(line, message, (kind, name)) for line, message, (kind, name) in _read(path)]
    found = _problems(source, filename)
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(found, file)
        os.replace(temporary, path)
        if key.startswith("00"):  # now and then, all but the newest KEPT files go
            files = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
            for old in files[:-KEPT]:
                old.unlink(missing_ok=True)
    return found


def _read(path: Path) -> list[Any]:
    found = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(found, list):
        raise ValueError(path)
    return found


def _folder() -> Path:
    found = warm.server_folder() / "names-checked"
    found.mkdir(mode=0o700, exist_ok=True)
    return found


def _problems(source: str, filename: str) -> list[Problem]:
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
