"""Request state filled by a hook that is not ported. A blueprint's `before_request` and
`before_app_request` hooks are ported (the blueprints rule), as are the app factory's (the
app-factory rule, also for an app made at module level); another hook that sets `g.<name>` (a
`url_value_preprocessor`) is left for a person, and a route reading `g.<name>`, itself or
through a module function it calls, would find nothing until it is ported: the route is
`manual` with that reason."""

from __future__ import annotations

import libcst as cst

from codemods.engine.findings import Status
from codemods.engine.nodes import called_names, descendants, dotted_name, string_value
from codemods.engine.rule import Rule
from codemods.flask.module_blueprints import blueprint_names

HOOKS = ("before_request", "before_app_request", "url_value_preprocessor")
PORTED_ON_BLUEPRINTS = ("before_request", "before_app_request")


def unported_hook(
    decorator: cst.Decorator, blueprints: set[str], apps: frozenset[str] = frozenset()
) -> bool:
    """`apps`: the module's own `app = Flask(...)` (its `before_request` is ported by the
    app-factory rule)."""
    target = decorator.decorator
    name = dotted_name(target.func if isinstance(target, cst.Call) else target) or ""
    owner, _, hook = name.rpartition(".")
    if hook not in HOOKS:
        return False
    if owner in apps and hook == "before_request":
        return False
    return not (owner in blueprints and hook in PORTED_ON_BLUEPRINTS)


def module_apps(module: cst.Module) -> frozenset[str]:
    """The names bound at module level to `Flask(...)`."""
    return frozenset(
        name
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, cst.Assign)
        and isinstance(small.value, cst.Call)
        and dotted_name(small.value.func) in ("Flask", "flask.Flask")
        for target in small.targets
        if (name := dotted_name(target.target))
    )


def g_writes(function: cst.FunctionDef) -> set[str]:
    return {
        target.target.attr.value
        for node in descendants(function.body)
        if isinstance(node, cst.Assign)
        for target in node.targets
        if isinstance(target.target, cst.Attribute) and dotted_name(target.target.value) == "g"
    }


def g_reads(function: cst.FunctionDef) -> set[str]:
    names: set[str] = set()
    for node in descendants(function.body):
        if isinstance(node, cst.Attribute) and dotted_name(node.value) == "g":
            names.add(node.attr.value)
        if isinstance(node, cst.Call) and dotted_name(node.func) == "g.get" and node.args:
            key = string_value(node.args[0].value)
            if key:
                names.add(key)
    return names


class HookStateRule(Rule):
    name = "hook-state"
    DESCRIPTION = "Routes reading g.<name> set by a hook left unported -> manual, with the reason."
    triggers = HOOKS
    needs_handlers = True
    requires = ("routes",)

    def visit_Module(self, node: cst.Module) -> bool:
        functions = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}
        blueprints = blueprint_names(node)
        apps = module_apps(node)
        filled_by: dict[str, str] = {}
        for name, function in functions.items():
            if any(unported_hook(d, blueprints, apps) for d in function.decorators):
                filled_by.update(dict.fromkeys(g_writes(function), name))
        if not filled_by:
            return False
        reads = {name: g_reads(function) for name, function in functions.items()}
        for name, function in functions.items():
            if name not in self.handlers:
                continue
            used = set(reads[name])
            for callee in called_names(function) & functions.keys():
                used |= reads[callee]
            for attribute in sorted(used & filled_by.keys()):
                hook = filled_by[attribute]
                self.findings.note(
                    name,
                    f"g.{attribute} is set by the hook {hook}(), which is not ported: make it a "
                    "dependency of the routes that read it first",
                    Status.manual,
                )
        return False
