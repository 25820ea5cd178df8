"""The template names a legacy package's blueprint context processors give, found before the
templates rule checks what each rendered template reads. `@bp.app_context_processor` gives its
names to every template of the app, `@bp.context_processor` to its own blueprint's (taken here
as its module's), an app's `@app.context_processor` to every template; all are ported
(codemods/runtime/flask/blueprint_hooks.py, templates.py). Only processors
returning a dict literal (or `dict(k=...)`) are read: others give names the rule cannot see."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from codemods.engine.nodes import dotted_name, string_value
from codemods.flask.module_blueprints import blueprint_names

APP_WIDE = "app_context_processor"
GLOBALS = ("template_global", "app_template_global")
BLUEPRINT_ONLY = "context_processor"


@dataclass(frozen=True)
class ProcessorNames:
    app_wide: frozenset[str] = frozenset()
    by_module: dict[str, frozenset[str]] = field(default_factory=dict)

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

    function.body.visit(Returns())
    return keys


def global_name(decorator: cst.Decorator) -> str | None:
    """The name `@app.template_global("name")` gives, when it gives one."""
    call = decorator.decorator
    if isinstance(call, cst.Call) and call.args:
        return string_value(call.args[0].value)
    return None


def module_processors(source: str) -> tuple[set[str], set[str]]:
    """(app-wide names, blueprint-only names) given by one module's processors."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return set(), set()
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
    return app_wide, own


@functools.lru_cache(maxsize=16)
def _scan(root: Path, stamps: tuple[tuple[str, int], ...]) -> ProcessorNames:
    app_wide: set[str] = set()
    by_module: dict[str, frozenset[str]] = {}
    for path_text, _ in stamps:
        path = Path(path_text)
        source = path.read_text(encoding="utf-8", errors="replace")
        if BLUEPRINT_ONLY not in source and "template_global" not in source:
            continue
        wide, own = module_processors(source)
        app_wide |= wide
        if own:
            by_module[path_text] = frozenset(own)
    return ProcessorNames(frozenset(app_wide), by_module)


def processor_names(root: Path) -> ProcessorNames:
    """The names the package under `root` gives its templates through processors."""
    paths = sorted(p.resolve() for p in root.rglob("*.py")) if root.is_dir() else []
    stamps = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    return _scan(root, stamps)
