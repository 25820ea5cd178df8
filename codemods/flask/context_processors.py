"""The template names a legacy package's blueprint context processors give, found before the
templates rule checks what each rendered template reads. `@bp.app_context_processor` gives its
names to every template of the app, `@bp.context_processor` to its own blueprint's (taken here
as its module's), an app's `@app.context_processor` to every template; all are ported
(codemods/runtime/flask/blueprint_hooks.py, templates.py). Only processors
returning a dict literal (or `dict(k=...)`) are read: others give names the rule cannot see."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from codemods.engine.nodes import dotted_name, string_value
from codemods.engine.package_files import python_files, stamps
from codemods.engine.parsed import parse_shared
from codemods.engine.walk import in_order
from codemods.flask.module_blueprints import blueprint_names

APP_WIDE = "app_context_processor"
GLOBALS = ("template_global", "app_template_global")
BLUEPRINT_ONLY = "context_processor"


# What may give templates names this module cannot read: a processor returning no literal dict,
# the Jinja environment set up by hand, a Flask extension (its own context processors).
OPAQUE_MARKERS = ("jinja_env", "add_template_global", "from flask_", "import flask_")
# Extensions whose template names the runtime gives (`csrf_token`, `current_user`) or that give
# none.
KNOWN_EXTENSIONS = (
    "flask_login",
    "flask_wtf",
    "flask_sqlalchemy",
    "flask_migrate",
    "flask_cors",
    "flask_babel",
)
# What flask-babel's `Babel(app)` gives every template (ported: codemods/runtime/flask/babel.py).
BABEL_NAMES = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})


@dataclass(frozen=True)
class ProcessorNames:
    app_wide: frozenset[str] = frozenset()
    by_module: dict[str, frozenset[str]] = field(default_factory=dict)
    # every name the app gives its templates is known: one it does not give is undefined on
    # both sides (Jinja's lenient Undefined), not a difference
    complete: bool = False

    def for_module(self, module: Path) -> frozenset[str]:
        return self.app_wide | self.by_module.get(str(module.resolve()), frozenset())


def returned_keys(function: cst.FunctionDef) -> set[str]:
    keys: set[str] = set()

    class Returns(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            value = node.value
            if isinstance(value, cst.Dict):
                keys.update(
                    key
                    for element in value.elements
                    if isinstance(element, cst.DictElement)
                    for key in [string_value(element.key)]
                    if key
                )
            elif isinstance(value, cst.Call) and dotted_name(value.func) == "dict":
                keys.update(a.keyword.value for a in value.args if a.keyword is not None)

    in_order(function.body, Returns())
    return keys


def global_name(decorator: cst.Decorator) -> str | None:
    """The name `@app.template_global("name")` gives, when it gives one."""
    call = decorator.decorator
    if isinstance(call, cst.Call) and call.args:
        return string_value(call.args[0].value)
    return None


def opaque(source: str) -> bool:
    """Whether the module may give templates names this module does not read."""
    text = source
    for known in KNOWN_EXTENSIONS:
        text = text.replace(f"from {known}", "").replace(f"import {known}", "")
    return any(marker in text for marker in OPAQUE_MARKERS)


def module_processors(source: str) -> tuple[set[str], set[str]]:
    """(app-wide names, blueprint-only names) given by one module's processors."""
    app_wide, own, _ = read_processors(source)
    return app_wide, own


def read_processors(
    source: str, parse: Callable[[str], cst.Module] = cst.parse_module
) -> tuple[set[str], set[str], bool]:
    """(app-wide names, blueprint-only names, every processor read) of one module."""
    try:
        module = parse(source)
    except cst.ParserSyntaxError:
        return set(), set(), False
    readable = True
    blueprints = blueprint_names(module)
    app_wide: set[str] = set()
    own: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.FunctionDef):
            continue
        for decorator in statement.decorators:
            target = decorator.decorator
            target = target.func if isinstance(target, cst.Call) else target
            owner, _, hook = (dotted_name(target) or "").rpartition(".")
            if hook in (APP_WIDE, BLUEPRINT_ONLY) and not returns_literal_dicts(statement):
                readable = False
            if owner == "app" and hook == BLUEPRINT_ONLY:
                app_wide |= returned_keys(statement)  # the app's own: every template
                continue
            if (owner == "app" or owner in blueprints) and hook in GLOBALS:  # a template global
                app_wide.add(global_name(decorator) or statement.name.value)
                continue
            if owner not in blueprints:
                continue
            if hook == APP_WIDE:
                app_wide |= returned_keys(statement)
            elif hook == BLUEPRINT_ONLY:
                own |= returned_keys(statement)
    return app_wide, own, readable


def returns_literal_dicts(function: cst.FunctionDef) -> bool:
    """Every `return` of the function gives a dict literal or `dict(k=...)`."""
    found: list[bool] = []

    class Returns(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            value = node.value
            found.append(
                (
                    isinstance(value, cst.Dict)
                    and all(
                        isinstance(e, cst.DictElement) and string_value(e.key)
                        for e in value.elements
                    )
                )
                or (
                    isinstance(value, cst.Call)
                    and dotted_name(value.func) == "dict"
                    and all(a.keyword is not None for a in value.args)
                )
            )

    in_order(function.body, Returns())
    return bool(found) and all(found)


@functools.lru_cache(maxsize=16)
def _scan(root: Path, files: tuple[tuple[str, int], ...]) -> ProcessorNames:
    app_wide: set[str] = set()
    by_module: dict[str, frozenset[str]] = {}
    complete = True
    for path_text, _ in files:
        path = Path(path_text)
        source = path.read_text(encoding="utf-8", errors="replace")
        complete = complete and not opaque(source)
        if "flask_babel" in source:
            app_wide |= BABEL_NAMES
        if BLUEPRINT_ONLY not in source and "template_global" not in source:
            continue
        wide, own, readable = read_processors(source, parse_shared)
        complete = complete and readable
        app_wide |= wide
        if own:
            by_module[path_text] = frozenset(own)
    return ProcessorNames(frozenset(app_wide), by_module, complete)


def processor_names(root: Path) -> ProcessorNames:
    """The names the package under `root` gives its templates through processors."""
    return _scan(root, stamps(python_files(root)))
