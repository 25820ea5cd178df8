"""Flask's context locals read outside a view -> the runtime's ContextVars
(codemods/runtime/flask/context.py).

In module helpers (and functions nested in views, like a streamed generator):
`request.get_json(...)` -> `request_json(...)`, `request.path` (and the other attributes with a
Starlette twin) -> `current_request().url.path`, `request.args`/`form`/`values`/`files` ->
`request_args()`/`request_form()`/`request_values()`/`request_files()` (Werkzeug MultiDicts,
the files as Werkzeug's `FileStorage`), `request.headers`
-> `current_request().headers`, `db.session` -> `current_session()`,
`Model.query` -> `current_session().query(Model)` (SQLAlchemy's legacy Query API has filter_by,
first, all, with_for_update, order_by, count), `db.select` -> `select`, `g` -> the runtime's `g`.
Everywhere: `session` (Flask's) -> `current_flask_session()` (the request's Flask session, never
the SQLAlchemy session views get as `session`), `current_app.config` -> `current_config()`,
`current_app.open_resource(...)` -> `open_resource(...)`, `current_app.logger` ->
`app_logger(running_app())`, `current_app.blueprints` -> `registered_blueprints(running_app())`;
in views `db.paginate(...)` ->
`paginate(session, ...)`.

The routers of a module whose code reads them get `dependencies=[Depends(get_session)]` (the
blueprints rule adds it): the generated `get_session` binds the request and the very session the
handlers get, so `clash is not product` still compares one session's objects.
"""

from __future__ import annotations

import functools

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import expr, without_imported_names
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.facts import ContextBinding
from codemods.flask.tables.request import ATTRIBUTES, REQUEST_FUNCTIONS
from codemods.flask.tables.responses import CONTEXT

BLUEPRINT_RUNTIME = "codemods.runtime.flask.blueprint_hooks"
PAGINATION = "codemods.runtime.flask.pagination"
SETUP_RUNTIME = "codemods.runtime.flask.app_setup"


@functools.cache
def flask_app_attributes() -> frozenset[str]:
    """What a Flask app has of its own (no FastAPI twin): left for a person. Other attributes
    are ones the app set on itself, kept on the FastAPI app. (Flask is imported on the first
    `current_app.<attribute>`, not with the rules: most modules never read one.)"""
    from flask import Flask

    return frozenset(dir(Flask)) | frozenset(vars(Flask("strangler")))


# `request.args` in a helper -> `request_args()`: Werkzeug MultiDicts of the bound request
HELPER_SOURCES = {
    "args": "request_args",
    "form": "request_form",
    "values": "request_values",
    "files": "request_files",
}


class FlaskContextRule(Rule):
    name = "flask-context"
    DESCRIPTION = (
        "request, db.session, Model.query, current_app.config, g outside views -> ContextVars."
    )
    triggers = ("request", "db.", ".query", "current_app", "g.", "session")
    gated = (
        cst.ImportFrom,
        cst.ClassDef,
        cst.SimpleStatementLine,
        cst.Attribute,
        cst.Call,
        cst.Name,
    )
    gate_names = ("current_app", "db", "query", "request", "g", "session", "open_resource")

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.request_imported = False
        self.g_imported = False
        self.session_imported = False
        self.flask_imported = False  # `import flask`: `flask.session`, `flask.g`
        self.current_app_imported = False
        self.own_current_app: set[str] = set()  # functions with a `current_app` of their own
        # Names that are not reads of a variable (`x.session`, `f(session=...)`) and functions
        # with their own `session`.
        self.not_reads: set[int] = set()
        self.own_session: set[str] = set()
        self.local_g: set[str] = set()  # functions importing `g` themselves (leave_ImportFrom)
        self.binding: str | None = None

    def visit_Import(self, node: cst.Import) -> None:
        self.flask_imported |= any(
            dotted_name(alias.name) == "flask" and alias.asname is None for alias in node.names
        )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        names = [] if isinstance(node.names, cst.ImportStar) else node.names
        if any(dotted_name(alias.name) == "db" and alias.asname is None for alias in names):
            self.needs("session")  # views here may call helpers of other modules using it
        if node.module is None or dotted_name(node.module) != "flask":
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if alias.asname is None and isinstance(alias.name, cst.Name):
                if alias.name.value == "g" and self.current_function:
                    self.local_g.add(self.current_function)
                self.request_imported |= alias.name.value == "request"
                self.current_app_imported |= alias.name.value == "current_app"
                self.g_imported |= alias.name.value == "g"
                self.session_imported |= alias.name.value == "session"

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        # a class's methods are helpers too (a Flask-RESTful resource kept for the runtime's
        # dispatch reads `g.current_user`); its body's own statements are left alone
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom | cst.Import)

    def in_view(self) -> bool:
        """Directly in a route handler (its own body, not a function nested in it)."""
        return self.current_function in self.handlers

    def needs(self, binding: str) -> None:
        if self.binding != "session":
            self.binding = binding
        self.own(ContextBinding).binding = self.binding

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self._functions:
            return updated_node
        name = dotted_name(original_node)
        if self.flask_imported and name == "flask.session":
            self.use(CONTEXT, "current_flask_session")
            self.needs("request")
            return expr("current_flask_session()")
        if self.flask_imported and name == "flask.g":
            self.use(CONTEXT, "g")
            return cst.Name("g")
        if name is not None and name.startswith("current_app.") and self.own_app():
            # a parameter named `current_app`: the caller's app, a generated FastAPI app
            if original_node.attr.value in ("config", "instance_path", "root_path"):
                return expr(f"current_app.state.{original_node.attr.value}")
            return updated_node
        if name == "current_app.config":
            self.use(CONTEXT, "current_config")
            self.needs("request")
            return expr("current_config()")
        if name == "current_app.open_resource":
            self.use(SETUP_RUNTIME, "open_resource")
            return cst.Name("open_resource")
        if name == "current_app.blueprints" and self.current_app_imported:
            # Flask's registry of the app's blueprints: the runtime's, which the generated
            # `register_blueprint` fills (lektor's admin reads `blueprints["dash"].url_prefix`)
            self.use(BLUEPRINT_RUNTIME, "registered_blueprints")
            self.use(CONTEXT, "running_app")
            self.needs("request")
            return expr("registered_blueprints(running_app())")
        if name == "current_app.logger" and self.current_app_imported:
            # Flask's `current_app` is unbound in the runtime's request or `app_context(app)`
            self.use(SETUP_RUNTIME, "app_logger")
            self.use(CONTEXT, "running_app")
            self.needs("request")
            return expr("app_logger(running_app())")
        if (
            self.current_app_imported
            and dotted_name(original_node.value) == "current_app"
            and original_node.attr.value not in flask_app_attributes()
            and original_node.attr.value != "_get_current_object"  # the proxy's own: Flask's app
        ):  # an attribute the app set on itself (`current_app.redis_conn = ...`)
            self.use(CONTEXT, "running_app")
            self.needs("request")
            return updated_node.with_changes(value=expr("running_app()"))
        if self.in_view():
            return updated_node
        if name == "db.session":
            self.use(CONTEXT, "current_session")
            self.needs("session")
            return expr("current_session()")
        if name == "db.select":
            self.use("sqlalchemy", "select")
            return cst.Name("select")
        owner = dotted_name(original_node.value)
        if (
            original_node.attr.value == "query"
            and owner is not None
            and owner.split(".")[-1][:1].isupper()
        ):
            self.use(CONTEXT, "current_session")
            self.needs("session")
            return expr(f"current_session().query({owner})")
        if self.request_imported and dotted_name(original_node.value) == "request":
            attribute = original_node.attr.value
            if attribute in ATTRIBUTES:
                self.use(CONTEXT, "current_request")
                self.needs("request")
                return expr(ATTRIBUTES[attribute].format(r="current_request()"))
            if attribute in ("headers", "cookies"):  # Starlette's: `get`, case-insensitive keys
                self.use(CONTEXT, "current_request")
                self.needs("request")
                return expr(f"current_request().{attribute}")
            if attribute in HELPER_SOURCES:
                self.use(CONTEXT, HELPER_SOURCES[attribute])
                self.needs("request")
                return expr(f"{HELPER_SOURCES[attribute]}()")
            if attribute in REQUEST_FUNCTIONS:  # `request.environ`, `.accept_languages`...
                function = REQUEST_FUNCTIONS[attribute]
                self.use(CONTEXT, function)
                self.use(CONTEXT, "current_request")
                self.needs("request")
                return expr(f"{function}(current_request())")
            if attribute == "json":  # Flask's property: `request.get_json()`
                self.use(CONTEXT, "request_json")
                self.needs("request")
                return expr("request_json()")
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self._functions:
            return updated_node
        callee = dotted_name(original_node.func)
        if callee == "db.paginate" and self.in_view():
            self.use(PAGINATION, "paginate")
            session = cst.Arg(cst.Name("session"))
            return updated_node.with_changes(
                func=cst.Name("paginate"), args=[session, *updated_node.args]
            )
        if callee == "request.get_json" and self.request_imported and not self.in_view():
            self.use(CONTEXT, "request_json")
            self.needs("request")
            return updated_node.with_changes(func=cst.Name("request_json"))
        return updated_node

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_reads.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_reads.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.not_reads.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.session_imported and self.binds_name(node, "session"):
            self.own_session.add(node.name.value)
        if self.binds_name(node, "current_app"):
            self.own_current_app.add(node.name.value)

    def own_app(self) -> bool:
        return any(function in self.own_current_app for function in self._functions)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if not self._functions:
            return updated_node
        if (
            self.g_imported
            and original_node.value == "g"
            and not self.local_g & set(self._functions)
        ):
            self.use(CONTEXT, "g")
        if (
            self.session_imported
            and original_node.value == "session"
            and id(original_node) not in self.not_reads
            and self.current_function not in self.own_session
        ):
            self.use(CONTEXT, "current_flask_session")
            self.needs("request")
            return expr("current_flask_session()")
        return updated_node

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        """`from flask import g` in a function (changedetection.io's URL check, in a `try` for
        when no request is bound) -> the runtime's `g`, which the function's uses now mean."""
        if (
            not self._functions
            or updated_node.relative
            or updated_node.module is None
            or dotted_name(updated_node.module) != "flask"
            or isinstance(updated_node.names, cst.ImportStar)
            or [(dotted_name(a.name), a.asname) for a in updated_node.names] != [("g", None)]
        ):
            return updated_node
        return updated_node.with_changes(module=expr_module(CONTEXT))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.g_imported:
            return updated_node
        return updated_node.with_changes(
            body=without_imported_names(updated_node.body, "flask", {"g"})
        )


def expr_module(dotted: str) -> cst.Attribute | cst.Name:
    """A dotted module name as an import's `module`."""
    node: cst.Attribute | cst.Name = cst.Name(dotted.split(".")[0])
    for part in dotted.split(".")[1:]:
        node = cst.Attribute(node, cst.Name(part))
    return node
