"""Callables a Django REST framework-style settings object of SRC chooses from the project's
settings, read with `ast` for their defaults:

    USER_SETTINGS = getattr(settings, "REST_AUTH", None)
    DEFAULTS = {"TOKEN_CREATOR": "dj_rest_auth.utils.default_create_token", ...}
    IMPORT_STRINGS = ("TOKEN_CREATOR", ...)
    api_settings = APISettings(USER_SETTINGS, DEFAULTS, IMPORT_STRINGS)

`api_settings.TOKEN_CREATOR(token_model, user, serializer)` calls what the project's
`REST_AUTH["TOKEN_CREATOR"]` names, `default_create_token` when it names none: a view making
that call runs the default's queries unless the project chose another callable. The default is
read here; the project's own choice is not (a callable it names is not read either).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from codemods.django.site_root import module_file, read_tree, search_path

SETTINGS_CLASS = "APISettings"  # rest_framework.settings.APISettings, or a subclass so named


@dataclass(frozen=True)
class ChosenCallable:
    """`<object>.<key>`: a callable the project's setting `setting` chooses by `key`."""

    setting: str | None  # the project's setting (`REST_AUTH`), None where not read
    key: str  # `TOKEN_CREATOR`
    default: str  # dotted: `dj_rest_auth.utils.default_create_token`

    def describe(self) -> str:
        """`REST_AUTH["TOKEN_CREATOR"] of the project's settings`."""
        chosen = f'{self.setting}["{self.key}"]' if self.setting else self.key
        return f"{chosen} of the project's settings"


def chosen_callable(tree: ast.Module, obj: str, key: str) -> ChosenCallable | None:
    """What `obj.key` of the module `tree` calls, where `obj` is a module-level
    `APISettings(user_settings, DEFAULTS, IMPORT_STRINGS)` and `key` an import string of it
    with a string default (None otherwise)."""
    call = _settings_call(tree, obj)
    if call is None or len(call.args) < 3:
        return None
    user, defaults, imported = (_value(tree, arg) for arg in call.args[:3])
    if not isinstance(defaults, ast.Dict) or not isinstance(imported, ast.Tuple | ast.List):
        return None
    if key not in {e.value for e in imported.elts if isinstance(e, ast.Constant)}:
        return None
    default = next(
        (
            value.value
            for name, value in zip(defaults.keys, defaults.values, strict=True)
            if isinstance(name, ast.Constant) and name.value == key
            if isinstance(value, ast.Constant) and isinstance(value.value, str)
        ),
        None,
    )
    if default is None or "." not in default:
        return None
    return ChosenCallable(_setting_name(user), key, default)


def _settings_call(tree: ast.Module, obj: str) -> ast.Call | None:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == obj for t in node.targets)
            and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func).rsplit(".", 1)[-1] == SETTINGS_CLASS
        ):
            return node.value
    return None


def _value(tree: ast.Module, node: ast.expr) -> ast.expr | None:
    """`node`, or the value a module-level assignment last gave the name `node` is."""
    if not isinstance(node, ast.Name):
        return node
    found = None
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == node.id for t in statement.targets
        ):
            found = statement.value
    return found


def _setting_name(node: ast.expr | None) -> str | None:
    """`REST_AUTH` of `getattr(settings, "REST_AUTH", None)`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        return node.args[1].value
    return None


def project_sets(settings_module: str | None, src: Path, name: str) -> bool | None:
    """Whether the project's settings name `name` (True: `REST_AUTH = {...}`, a `REST_AUTH=`
    keyword, the string), name it nowhere (False), or are not read (None: no settings module
    found, or a star import from one that is not read). Read with `ast`, never imported: the
    settings module and, transitively, the modules it imports that are files of the search path
    outside the installed packages and the standard library (site_root.py finds them)."""
    if not settings_module:
        return None
    folders = search_path(src)
    queue, seen = [settings_module], {settings_module}
    while queue:
        dotted = queue.pop()
        path = module_file(dotted, folders)
        tree = read_tree(path) if path is not None and _project_file(path) else None
        if path is None or tree is None:
            if dotted == settings_module:
                return None
            continue
        if any(_names(node, name) for node in ast.walk(tree)):
            return True
        for imported, star in _imported(tree, dotted, path.name == "__init__.py"):
            if star and not _readable(imported, folders):
                return None
            if imported not in seen:
                seen.add(imported)
                queue.append(imported)
    return False


def _names(node: ast.AST, name: str) -> bool:
    return (
        (isinstance(node, ast.Name) and node.id == name)
        or (isinstance(node, ast.keyword) and node.arg == name)
        or (isinstance(node, ast.Attribute) and node.attr == name)
        or (isinstance(node, ast.Constant) and node.value == name)
    )


def _imported(tree: ast.Module, dotted: str, package: bool) -> list[tuple[str, bool]]:
    """(module, a star import) of each import of the module `dotted` (a package's
    `__init__` where `package`), relative ones made absolute."""
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            parts = dotted.split(".")
            kept = len(parts) - node.level + package if node.level else 0
            if node.level and kept <= 0:
                continue
            base = ".".join([*parts[:kept], *([node.module] if node.module else [])])
            found.append((base, any(alias.name == "*" for alias in node.names)))
        elif isinstance(node, ast.Import):
            found += [(alias.name, False) for alias in node.names]
    return found


def _project_file(path: Path) -> bool:
    """Not a file of the installed packages or of the standard library."""
    if {"site-packages", "dist-packages"} & set(path.parts):
        return False
    prefixes = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    return not any(path.is_relative_to(prefix) for prefix in prefixes)


def _readable(dotted: str, folders: list[Path]) -> bool:
    path = module_file(dotted, folders)
    return path is not None and _project_file(path)
