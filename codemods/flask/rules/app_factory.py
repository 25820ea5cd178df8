"""The app factory's config, request hooks and error handlers -> their runtime twins
(codemods/runtime/flask/app_hooks.py, flask_context.py).

`app = Flask(...)` is followed by `app.state.config = FlaskConfig()` and
`app.state.instance_path = instance_path(__name__)`; `app.config` -> `app.state.config` (a dict
with `from_mapping`/`from_object`, read by `current_config()`), `app.instance_path` ->
`app.state.instance_path`. `@app.before_request` -> `@before_request(app)`,
`@app.after_request` -> `@after_request(app)`, `@app.errorhandler(X)` -> `@errorhandler(app, X)`.
A set-up function whose every use of the app is one of these (`register_error_handlers(app)`)
is listed so the blueprints rule keeps its call.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.edit import expr
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.facts import AppFactoryFacts
from codemods.flask.tables.responses import CONTEXT

HOOKS_RUNTIME = "codemods.runtime.flask.app_hooks"
HOOKS = ("before_request", "after_request", "errorhandler")
APP_STATE = ("config", "instance_path")


def app_uses(function: cst.FunctionDef, app: str) -> set[str]:
    """The attributes of `app` the function reads (`{"config", "cli"}`); `""` for a bare use."""
    found: set[str] = set()

    class Finder(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> bool:
            if dotted_name(node.value) == app:
                found.add(node.attr.value)
                return False
            return True

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == app:
                found.add("")

    function.body.visit(Finder())
    return found


FLASK_NAMES = ("Flask", "flask.Flask")


def constructs_flask(function: cst.FunctionDef) -> bool:
    """Whether the function's own body makes the app (`app = Flask(...)`, `return Flask(...)`):
    it is an app factory."""
    if not isinstance(function.body, cst.IndentedBlock):
        return False
    for line in function.body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            value = getattr(small, "value", None)
            if isinstance(value, cst.Call) and dotted_name(value.func) in FLASK_NAMES:
                return True
    return False


class AppFactoryRule(Rule):
    name = "app-factory"
    DESCRIPTION = "app.config, before/after_request and errorhandler -> their runtime twins."
    triggers = ("Flask(", "before_request", "after_request", "errorhandler", ".config")
    gated = (
        cst.ClassDef,
        cst.FunctionDef,
        cst.Assign,
        cst.Attribute,
        cst.Decorator,
        cst.SimpleStatementLine,
    )
    gate_names = ("Flask", *APP_STATE, *HOOKS)

    def __init__(self, context: cst.codemod.CodemodContext) -> None:
        super().__init__(context)
        self.apps: set[str] = set()
        # Functions whose app reads are rewritten: the factory and the set-up functions (any
        # other, like one reading `app.cli`, stays for the blueprints rule to comment out).
        self.scope: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        setup: set[str] = set()
        for statement in node.body:
            if not isinstance(statement, cst.FunctionDef):
                continue
            params = [p.name.value for p in statement.params.params]
            if params == ["app"]:
                uses = app_uses(statement, "app")
                if uses and uses <= {*HOOKS, *APP_STATE}:
                    setup.add(statement.name.value)
        self.own(AppFactoryFacts).setup_functions = setup
        factories = {
            s.name.value
            for s in node.body
            if isinstance(s, cst.FunctionDef) and constructs_flask(s)
        }
        self.scope = setup | factories

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.name.value not in self.handlers

    def is_app(self, node: cst.BaseExpression) -> bool:
        name = dotted_name(node)
        in_scope = not self._functions or self._functions[0] in self.scope
        return in_scope and name is not None and (name in self.apps or name == "app")

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and dotted_name(node.value.func) in (
            "Flask",
            "flask.Flask",
        ):
            for target in node.targets:
                name = dotted_name(target.target)
                if name:
                    self.apps.add(name)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if self.is_app(original_node.value) and original_node.attr.value in APP_STATE:
            owner = dotted_name(original_node.value)
            return expr(f"{owner}.state.{original_node.attr.value}")
        return updated_node

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        target = original_node.decorator
        call = target if isinstance(target, cst.Call) else None
        func = call.func if call is not None else target
        if not isinstance(func, cst.Attribute) or func.attr.value not in HOOKS:
            return updated_node
        if not self.is_app(func.value):
            return updated_node
        hook = func.attr.value
        self.use(HOOKS_RUNTIME, hook)
        args = [cst.Arg(func.value)]
        if call is not None:
            args += [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in call.args]
        return updated_node.with_changes(decorator=cst.Call(func=cst.Name(hook), args=args))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        small = original_node.body[0]
        if not (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Call)
            and dotted_name(small.value.func) in ("Flask", "flask.Flask")
            and len(small.targets) == 1
        ):
            return updated_node
        app = dotted_name(small.targets[0].target)
        self.use(CONTEXT, "FlaskConfig")
        self.use(CONTEXT, "instance_path")
        # The legacy package's instance folder: both sides share its database and files.
        package = self.state.source_package
        owner = f'"{package}"' if isinstance(package, str) else "__name__"
        return cst.FlattenSentinel(
            [
                updated_node,
                cst.parse_statement(f"{app}.state.config = FlaskConfig()"),
                cst.parse_statement(f"{app}.state.instance_path = instance_path({owner})"),
            ]
        )
