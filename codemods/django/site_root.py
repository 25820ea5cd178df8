"""The root URLconf of a site outside SRC, and where it serves SRC's URLconfs.

A reusable app converted alone (`strangler codemod django polls/ --settings mysite.settings`)
has no root URLconf of its own: the project's `ROOT_URLCONF` says where Django serves it
(`path("polls/", include("polls.urls", namespace=...))`). That URLconf's `include()`s are read
with `ast`, one level, in their string, `(urlconf, app_name)` and module forms
(`include(polls.urls)` through its imports), as prefixes and namespaces of SRC's URLconfs.

The settings module and the root URLconf are files found as the import system would find them,
never imported: on the working folder, `PYTHONPATH`, the folder holding SRC, then `sys.path`.
"""

from __future__ import annotations

import ast
import os
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
    regex: bool  # a `re_path()`/`url()` route
    namespace: str | None  # `namespace=`, else the app name of `include((urlconf, app_name))`


@dataclass(frozen=True)
class SiteRoot:
    """The ROOT_URLCONF of the settings module, a file outside SRC."""

    urlconf: str  # its dotted name
    includes: tuple[SiteInclude, ...]


def search_path(src: Path) -> list[Path]:
    """Where a dotted module name is looked up: cwd, PYTHONPATH, SRC's parent, sys.path."""
    folders = [Path.cwd()]
    folders += [Path(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    folders.append(src.resolve().parent)
    folders += [Path(entry or ".") for entry in sys.path]
    return list(dict.fromkeys(folders))


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


def site_root(src: Path, settings_module: str | None) -> SiteRoot | None:
    """The site's root URLconf, when the settings module names one that is a file outside SRC
    (None otherwise: SRC's own ROOT_URLCONF, or no site found)."""
    if not settings_module:
        return None
    folders = search_path(src)
    settings_file = module_file(settings_module, folders)
    settings = read_tree(settings_file) if settings_file is not None else None
    urlconf = setting(settings, "ROOT_URLCONF") if settings is not None else None
    urlconf_file = module_file(urlconf, folders) if urlconf else None
    if urlconf is None or urlconf_file is None or urlconf_file.is_relative_to(src.resolve()):
        return None
    tree = read_tree(urlconf_file)
    if tree is None:
        return None
    return SiteRoot(urlconf, tuple(site_includes(urlconf, tree)))


def site_includes(module: str, tree: ast.Module) -> list[SiteInclude]:
    """The `include()`s of the URLconf `module` by the dotted names of what they include."""
    names = _imported_modules(module, tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in PATTERN_FUNCTIONS:
            continue
        route = literal_string(node.args[0]) if node.args else None
        view = node.args[1] if len(node.args) > 1 else None
        if route is None or not isinstance(view, ast.Call):
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
        dotted = literal_string(target) or _module_name(target, names)
        if dotted is not None:
            found.append(SiteInclude(dotted, route, _name(node.func) != "path", namespace))
    return found


def _module_name(node: ast.expr, names: dict[str, str]) -> str | None:
    """The dotted name of a module written as a name (`polls.urls`, `urls` from an import)."""
    if not isinstance(node, ast.Name | ast.Attribute):
        return None
    written = ast.unparse(node)
    head, dot, rest = written.partition(".")
    return names.get(head, head) + dot + rest


def _imported_modules(module: str, tree: ast.Module) -> dict[str, str]:
    """Names bound by imports: `from . import views` in `pkg.urls` -> `pkg.views`."""
    package = module.rsplit(".", 1)[0] if "." in module else ""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                head = alias.name.split(".")[0]
                names[alias.asname or head] = alias.name if alias.asname else head
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = ".".join(p for p in (anchor, base) if p)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    return names


def _name(node: ast.expr) -> str:
    return ast.unparse(node).rsplit(".", 1)[-1]


def literal_string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
