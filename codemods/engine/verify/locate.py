"""Where an app comes from, as `flask --app` names it: `module:name`, `module:factory(args)` or
`path/to/file.py:name` (the arguments are literals). Used on both sides of verification: the
legacy app is located this way, and the new one at the same place in the generated package.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any


class NotLocated(LookupError):
    """The spec names nothing that builds an app (the message says what is missing)."""


def split(spec: str) -> tuple[str, str | None]:
    """`("module or path", "name or None")`; a Windows drive's colon is not a separator."""
    head, colon, tail = spec.rpartition(":")
    if not colon or tail.startswith(("\\", "/")) or not head:
        return spec, None
    return head, tail or None


def import_target(target: str) -> ModuleType:
    """A dotted module, or a `.py` file (its folder goes first on sys.path, as Flask does)."""
    if target.endswith(".py") or "/" in target or "\\" in target:
        path = Path(target).resolve()
        if path.is_dir():
            path = path / "__init__.py"
        if not path.is_file():
            raise NotLocated(f"no such file: {target}")
        names = [path.stem] if path.stem != "__init__" else []
        folder = path.parent
        while (folder / "__init__.py").is_file():  # a module inside packages: import it dotted
            names.insert(0, folder.name)
            folder = folder.parent
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
        target = ".".join(names)
    return importlib.import_module(target)


def evaluate(module: ModuleType, name: str) -> Any:
    """`name` in `module`: an attribute, or a call of one with literal arguments."""
    try:
        expression = ast.parse(name.strip(), mode="eval").body
    except SyntaxError:
        raise NotLocated(f"{name!r} is neither a name nor a call") from None
    call = expression if isinstance(expression, ast.Call) else None
    function = call.func if call is not None else expression
    if not isinstance(function, ast.Name):
        raise NotLocated(f"{name!r}: only a plain name or a call of one")
    if not hasattr(module, function.id):
        raise NotLocated(f"{module.__name__} has no {function.id!r}")
    value = getattr(module, function.id)
    if call is None:
        return value
    try:
        args = [ast.literal_eval(arg) for arg in call.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
    except ValueError:
        raise NotLocated(f"{name!r}: the arguments must be literals") from None
    return value(*args, **kwargs)


def relative(module: str, package: str) -> str | None:
    """`module` relative to `package` ("" for the package itself), None when outside it."""
    if module == package:
        return ""
    if module.startswith(package + "."):
        return module[len(package) + 1 :]
    return None
