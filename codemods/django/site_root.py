"""The root URLconf of a site outside SRC: a reusable app (SRC) is served by a project that
includes its URLconfs, and the settings module names that project's ROOT_URLCONF. Its
`include()`s of SRC's URLconfs are where SRC's patterns are served: their prefixes and namespaces.

Only files are read (found on sys.path as the import system would find them, nothing imported).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PATTERN_FUNCTIONS = ("path", "re_path", "url")


@dataclass(frozen=True)
class SiteInclude:
    """`path(route, include(target, namespace=...))` in the site's root URLconf."""

    target: str  # the included URLconf's dotted name
    route: str
    regex: bool
    namespace: str | None


def module_file(dotted: str, search: Sequence[str | Path] | None = None) -> Path | None:
    """The source file of the module `dotted` on sys.path (or `search`), not imported."""
    parts = dotted.split(".")
    for entry in search if search is not None else sys.path:
        base = Path(entry or ".").joinpath(*parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate.resolve()
    return None


def read_tree(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def setting(tree: ast.Module, name: str) -> str | None:
    """A string assigned to `name` at module level, or given as `name=` in a call there
    (`globals().update(site_settings(ROOT_URLCONF="..."))` style settings)."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
        if (
            isinstance(node, ast.keyword)
            and node.arg == name
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    return None


def site_includes(tree: ast.Module) -> list[SiteInclude]:
    """The `include()`s of a URLconf by their dotted names (string targets only)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in PATTERN_FUNCTIONS:
            continue
        if len(node.args) < 2 or not isinstance(node.args[0], ast.Constant):
            continue
        route, view = node.args[0].value, node.args[1]
        if not isinstance(route, str) or not isinstance(view, ast.Call):
            continue
        if _name(view.func) != "include" or not view.args:
            continue
        target = view.args[0]
        namespace = next(
            (literal_string(k.value) for k in view.keywords if k.arg == "namespace"), None
        )
        if isinstance(target, ast.Tuple) and len(target.elts) == 2:
            namespace = namespace or literal_string(target.elts[1])
            target = target.elts[0]
        dotted = literal_string(target)
        if dotted is not None:
            found.append(SiteInclude(dotted, route, _name(node.func) != "path", namespace))
    return found


def _name(node: ast.expr) -> str:
    return ast.unparse(node).rsplit(".", 1)[-1]


def literal_string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
