"""Where a project outside SRC mounts the app SRC is: the `include()` prefixes and namespaces of
its root URLconf, read with `ast` (never imported).

A reusable app converted alone (`strangler codemod django polls/ --settings mysite.settings`)
has no root URLconf of its own: the project's `ROOT_URLCONF` says where Django serves it
(`path("polls/", include("polls.urls"))`). The settings module and the root URLconf are looked
for as files on the import path the command runs with: the working folder, `PYTHONPATH`, and
the folder holding SRC. Only the root URLconf's own `include()`s of string or module names are
read (one level); anything else leaves the app's URLconfs served at the root, as before.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, replace
from pathlib import Path

from codemods.django.site_root import literal_string, module_file, read_tree, setting


@dataclass(frozen=True)
class Mount:
    """One `path(prefix, include(urlconf, namespace=...))` of the project's root URLconf."""

    urlconf: str  # the included module's dotted name (`django_polls.urls`)
    prefix: str  # the route string of the `path()` (`polls/`)
    regex: bool  # a `re_path()` prefix
    namespace: str | None  # `namespace=` given to include(), if any
    file: Path | None = None  # the included module's source file, found on the import path


def search_path(src: Path) -> list[Path]:
    """The folders a dotted module name is looked up in: cwd, PYTHONPATH, SRC's parent."""
    folders = [Path.cwd()]
    folders += [Path(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    folders.append(src.resolve().parent)
    return folders


def _imported_modules(module: str, tree: ast.Module) -> dict[str, str]:
    """Names bound by imports to modules: `from . import views` -> `pkg.views`."""
    package = module.rsplit(".", 1)[0] if "." in module else ""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = ".".join(p for p in (anchor, base) if p)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    return names


def _mount(call: ast.Call, names: dict[str, str]) -> Mount | None:
    function = ast.unparse(call.func).rsplit(".", 1)[-1]
    if function not in ("path", "re_path") or len(call.args) < 2:
        return None
    prefix = literal_string(call.args[0])
    inner = call.args[1]
    if prefix is None or not isinstance(inner, ast.Call):
        return None
    if ast.unparse(inner.func).rsplit(".", 1)[-1] != "include" or not inner.args:
        return None
    target: ast.expr = inner.args[0]
    if isinstance(target, ast.Tuple) and target.elts:  # include((urlconf, app_name))
        target = target.elts[0]
    urlconf = literal_string(target)
    if urlconf is None:
        written = ast.unparse(target)
        urlconf = names.get(written.split(".")[0], written.split(".")[0])
        urlconf += written[len(written.split(".")[0]) :]
    namespace = next(
        (literal_string(k.value) for k in inner.keywords if k.arg == "namespace"),
        None,
    )
    return Mount(urlconf, prefix, function == "re_path", namespace)


def project_mounts(src: Path, settings_module: str | None) -> list[Mount]:
    """The includes of the project's root URLconf of a URLconf of SRC, when the settings
    module and its ROOT_URLCONF are files outside SRC; empty otherwise."""
    if not settings_module:
        return []
    folders = search_path(src)
    settings_file = module_file(settings_module, folders)
    root = src.resolve()
    if settings_file is None or settings_file.is_relative_to(root):
        return []
    settings = read_tree(settings_file)
    urlconf = setting(settings, "ROOT_URLCONF") if settings is not None else None
    urlconf_file = module_file(urlconf, folders) if urlconf else None
    if urlconf is None or urlconf_file is None or urlconf_file.is_relative_to(root):
        return []
    tree = read_tree(urlconf_file)
    if tree is None:
        return []
    names = _imported_modules(urlconf, tree)
    mounts = []
    for node in ast.walk(tree):
        found = _mount(node, names) if isinstance(node, ast.Call) else None
        file = module_file(found.urlconf, folders) if found is not None else None
        if found is not None and file is not None and file.is_relative_to(root):
            mounts.append(replace(found, file=file))
    return mounts
