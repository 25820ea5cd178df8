"""Where a function of SRC that a template tag hands a row to leads: the callables of other
modules of SRC it calls, directly or through functions of its own module (spirit's
`render_polls(comment, ...)` in `comment.poll.utils.render` calls `PollVoteManyForm` of
`comment.poll.forms` through `_evaluate` and `_render_form`). What they read of the row is not
followed; the template check names them, so its reason says where the reading goes on."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# the path (without suffix) of module `name` imported at `level` from a module, when in SRC
Resolver = Callable[[Path, str | None, int], Path | None]


@dataclass(frozen=True)
class Handed:
    """A function of SRC given a row, and the callables of other modules of SRC it reaches."""

    module: str  # dotted, under SRC: comment.poll.utils.render
    reaches: tuple[tuple[str, str], ...]  # (callable, its dotted module), in the order met


def handed_to(
    root: Path, module: Path, tree: ast.Module, callee: str, resolve: Resolver
) -> Handed | None:
    """The function `callee` names in `tree` (`module`'s), when imported by name from a module
    of SRC that defines it; None otherwise."""
    imported = _imported(module, tree, resolve)
    found = imported.get(callee)
    if found is None:
        return None
    path, name = found
    target = _parse(path)
    if target is None:
        return None
    functions = {
        node.name: node
        for node in target.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    if name not in functions:
        return None
    theirs = _imported(path, target, resolve)
    reaches: dict[tuple[str, str], None] = {}
    queue, seen = [name], set()
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for node in ast.walk(functions[current]):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            called = node.func.id
            if called in functions:
                queue.append(called)
            elif called in theirs:
                where, original = theirs[called]
                reaches[(original, dotted(root, where))] = None
    return Handed(dotted(root, path), tuple(reaches))


def dotted(root: Path, path: Path) -> str:
    """`comment/poll/forms.py` under SRC -> `comment.poll.forms` (a package by its folder)."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(module: Path, tree: ast.Module, resolve: Resolver) -> dict[str, tuple[Path, str]]:
    """Local name -> (the file of SRC it is imported from, its name there)."""
    found: dict[str, tuple[Path, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        base = resolve(module, node.module, node.level)
        if base is None:
            continue
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                found |= {(a.asname or a.name): (candidate, a.name) for a in node.names}
                break
    return found


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None
