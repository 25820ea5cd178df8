"""Which names the modules of a package import from each other (`from .evaluator import X`,
`from shop.llm.evaluator import X`), read from their text: a module's import of a name it never
uses itself may be there for the package's other modules (changedetection.io's forms.py imports
`LLM_DEFAULT_THINKING_BUDGET` from llm/evaluator.py, which imports it from model/LLMSettings.py),
and removing it as unused breaks them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

# `from MODULE import a, b as c` or `from MODULE import (a,\n b)`, at any indentation
FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
COMMENT = re.compile(r"#[^\n]*")


def module_parts(relative: Path) -> tuple[str, ...]:
    """`llm/evaluator.py` -> ("llm", "evaluator"); a package's `__init__.py` is the package."""
    parts = relative.with_suffix("").parts
    return parts[:-1] if parts and parts[-1] == "__init__" else parts


def imported_from(
    root: Path, files: Iterable[Path], package: str | None
) -> dict[tuple[str, ...], set[str]]:
    """For each module of the package under `root` (its parts relative to `root`), the names
    the package's modules among `files` import from it. `package`: the dotted name `root` is
    imported as, for absolute imports (`None`: relative ones only)."""
    found: dict[tuple[str, ...], set[str]] = {}
    prefix = tuple(package.split(".")) if package else None
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            relative = path.relative_to(root)
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if "import" not in text:
            continue
        here = module_parts(relative)
        # the package a relative import starts from: the module's own for a package's __init__
        base = here if relative.name == "__init__.py" else here[:-1]
        for match in FROM_IMPORT.finditer(text):
            target = _target(match.group(1), base, prefix)
            if target is None:
                continue
            names = found.setdefault(target, set())
            for item in COMMENT.sub("", match.group(2)).strip("()\\ \t").split(","):
                name = item.split(" as ")[0].strip(" \t\n\\()")
                if name.isidentifier():
                    names.add(name)
    return found


def _target(
    module: str, base: tuple[str, ...], prefix: tuple[str, ...] | None
) -> tuple[str, ...] | None:
    """The parts (relative to the package's root) of the module `from MODULE import` names."""
    dots = len(module) - len(module.lstrip("."))
    rest = tuple(part for part in module[dots:].split(".") if part)
    if dots:
        if dots - 1 > len(base):
            return None
        return (*base[: len(base) - (dots - 1)], *rest)
    if prefix and rest[: len(prefix)] == prefix:
        return rest[len(prefix) :]
    return None
