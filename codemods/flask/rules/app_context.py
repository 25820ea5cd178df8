"""Code that runs in Flask's application context outside a request -> the runtime's
(codemods/runtime/flask/context.py), so it runs on the new side too:

    with app.app_context():          ->  with app_context(app):
        db.create_all()                      db.create_all()
        from . import views                  from . import views
    app.app_context().push()         ->  push_app_context(app)

    PAGE_SIZE = current_app.config["PAGE_SIZE"]   (module level, read at import time)
                                     ->  PAGE_SIZE = current_config()["PAGE_SIZE"]

`current_config()` reads the config of the enclosing `app_context(app)` (or request), so a module
the factory imports inside `with app.app_context():` reads its settings at import time as it did
under Flask; imported outside one, it raises as Flask's `current_app` does. The app is a name
bound to `Flask(...)` in an app factory or at module level (there it is the generated FastAPI app),
or at import to the package's `create_app()`; a function given an app by its caller
(`seed_database(app)`, which may be the legacy app) keeps `app.app_context()`, unless the module
itself calls it at import with the factory's app (`make_celery(flask_app)` after `flask_app =
create_app()`). A block calling Flask-SQLAlchemy's `db.create_all()`/`drop_all()` is left for the
blueprints rule to report (its tables need the generated models' metadata and engine,
which the runtime does not make at start-up yet).
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import expr
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.facts import AppFactoryFacts
from codemods.flask.rules.app_factory import constructs_flask, factory_app_names
from codemods.flask.tables.responses import CONTEXT

SQLALCHEMY_SET_UP = (".create_all(", ".drop_all(")


class AppContextRule(Rule):
    name = "app-context"
    DESCRIPTION = "with app.app_context() and import-time current_app.config -> the runtime's."
    triggers = ("app_context", "current_app.config")
    uses = ("app-factory",)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.apps: set[str] = set()  # bound to `Flask(...)` in a factory or the module
        self.module_apps: set[str] = set()
        self.factories: set[str] = set()
        self.given_app: set[str] = set()  # functions whose `app` is the generated app
        self.current_app_imported = False

    def visit_Module(self, node: cst.Module) -> None:
        self.factories = {
            s.name.value
            for s in node.body
            if isinstance(s, cst.FunctionDef) and constructs_flask(s)
        }
        # `flask_app = create_app()` at import: the generated app (lemur's celery tasks run in
        # `with flask_app.app_context():`)
        self.module_apps |= factory_app_names(node)
        self.given_app = self.read(AppFactoryFacts).app_functions

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or dotted_name(node.module) != "flask" or node.relative:
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if dotted_name(alias.name) == "current_app" and alias.asname is None:
                self.current_app_imported = True

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._functions and self._functions[0] not in self.factories:
            return
        if isinstance(node.value, cst.Call) and dotted_name(node.value.func) in (
            "Flask",
            "flask.Flask",
        ):
            names = {n for t in node.targets if (n := dotted_name(t.target))}
            self.apps |= names
            if not self._functions:
                self.module_apps |= names

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        if len(original_node.items) != 1:
            return updated_node
        owner = self.app_of_context(original_node.items[0].item)
        if owner is None or self.uses_flask_sqlalchemy(original_node):
            return updated_node
        self.use(CONTEXT, "app_context")
        item = updated_node.items[0].with_changes(item=expr(f"app_context({owner})"))
        return updated_node.with_changes(items=[item])

    def uses_flask_sqlalchemy(self, node: cst.With) -> bool:
        code = cst.Module(body=[]).code_for_node(node.body)
        return any(call in code for call in SQLALCHEMY_SET_UP)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """`app.app_context().push()` -> `push_app_context(app)`."""
        func = original_node.func
        if original_node.args or not (
            isinstance(func, cst.Attribute) and func.attr.value == "push"
        ):
            return updated_node
        owner = self.app_of_context(func.value)
        if owner is None:
            return updated_node
        self.use(CONTEXT, "push_app_context")
        return expr(f"push_app_context({owner})")

    def app_of_context(self, node: cst.BaseExpression) -> str | None:
        """`app` of `app.app_context()` when `app` is the generated app."""
        if not (isinstance(node, cst.Call) and not node.args):
            return None
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "app_context"):
            return None
        owner = dotted_name(func.value)
        if owner in self.module_apps:
            return owner
        if owner == "app" and self._functions and self._functions[0] in self.given_app:
            return owner
        in_factory = bool(self._functions) and self._functions[0] in self.factories
        return owner if in_factory and owner in self.apps else None

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if self._functions or not self.current_app_imported:  # a class body runs at import
            return updated_node
        if dotted_name(original_node) != "current_app.config":
            return updated_node
        self.use(CONTEXT, "current_config")
        return expr("current_config()")
