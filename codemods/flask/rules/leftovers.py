"""What is left of Flask in a converted view is marked for a person, never reported converted:
names still imported from Flask and its extensions (`current_app`, `g`, `session`, `flash`,
`db`, ...), `Model.query`, calls to helpers that read `flask.request`, and decorators the view
still carries (they were written for Flask views), except the package's own decorators that pass
the view's keywords through (`codemods/flask/view_decorators.py`). Werkzeug's exceptions are
answered as Flask answers them (`FlaskRoute`): not leftovers."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.analysis import analysis_of
from codemods.flask.facts import RequestFacts
from codemods.flask.view_decorators import view_decorators

LEGACY_PREFIXES = ("flask", "werkzeug")
# Local objects known to be Flask extensions, whatever module they come from.
EXTENSION_NAMES = {"db": "db (Flask-SQLAlchemy): queries need a SQLAlchemy session dependency"}
# Pure functions of Werkzeug that work the same outside Flask: not leftovers.
PURE_FUNCTIONS = {"secure_filename", "generate_password_hash", "check_password_hash"}
ROUTE_VERBS = {"get", "post", "put", "patch", "delete", "api_route", "options", "head"}
# Raised anywhere, answered as Flask answers them by the generated routes.
ANSWERED_MODULES = {"werkzeug.exceptions"}


# Decorators of Flask extensions that only document the view: their wrapper calls it with the
# same arguments (FastAPI's keywords), unless they validate the Flask request.
DOCUMENTATION_DECORATORS = frozenset({"swag_from", "flasgger.swag_from"})
DOCUMENTATION_NOTE = (
    "@{}: flasgger's documentation of the view is not in FastAPI's OpenAPI (the decorator"
    " passes the call through)"
)


def passes_the_call_through(decorator: cst.BaseExpression) -> bool:
    """`@swag_from("spec.yml")`: flasgger's wrapper calls the view as it is called, unless
    `validation=True` (which validates Flask's request)."""
    if not isinstance(decorator, cst.Call):
        return False
    if dotted_name(decorator.func) not in DOCUMENTATION_DECORATORS:
        return False
    return not any(
        arg.keyword is not None
        and arg.keyword.value == "validation"
        and dotted_name(arg.value) != "False"
        for arg in decorator.args
    )


class LeftoversRule(Rule):
    name = "leftovers"
    DESCRIPTION = "Mark what is left of Flask in converted views (status manual)."
    triggers = ("flask",)
    needs_handlers = True
    requires = ("routes",)
    uses = ("request-data",)
    gated = (cst.SimpleStatementLine, cst.ClassDef, cst.Name, cst.Attribute, cst.Call)
    gate_names = ("query",)  # and the legacy names and request helpers

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.legacy_names: dict[str, str] = {}
        self.params: set[str] = set()
        helpers = self.read(RequestFacts).request_helpers
        self.open_gate(*(helper.split(".")[-1] for helper in helpers))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module else ""
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            local = alias.asname.name if alias.asname else alias.name
            name = dotted_name(local) if isinstance(local, cst.Name | cst.Attribute) else None
            if name is None:
                continue
            if name in PURE_FUNCTIONS:
                continue
            if module in ANSWERED_MODULES:
                continue
            # (a module of the package's own, `from ..flask_app import x`, is no Flask library)
            if module and not node.relative and module.split(".")[0].startswith(LEGACY_PREFIXES):
                self.legacy_names[name] = f"{name} ({module}) has no FastAPI conversion"
            elif name in EXTENSION_NAMES and not self.own_module(node, name):
                self.legacy_names[name] = EXTENSION_NAMES[name]
            self.open_gate(*name.split("."))

    def own_module(self, node: cst.ImportFrom, name: str) -> bool:
        """Whether `from . import db` imports a module of the package (calibre-web's `cps/db.py`)
        rather than an object named so (Flask-SQLAlchemy's `db`)."""
        root = analysis_of(self.state).root
        if not node.relative or root is None or not self.state.module_path:
            return False
        folder = root.joinpath(*self.state.module_path[:-1])
        for _ in node.relative[1:]:
            folder = folder.parent
        if node.module is not None:
            folder = folder.joinpath(*(dotted_name(node.module) or "").split("."))
        return (folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        name = node.name.value
        if name in self.handlers:
            params = node.params
            self.params = {
                p.name.value
                for p in [*params.params, *params.kwonly_params, *params.posonly_params]
            }
            for decorator in node.decorators:
                callee = decorator.decorator
                target = callee.func if isinstance(callee, cst.Call) else callee
                full = dotted_name(target) or ""
                owner, _, verb = full.rpartition(".")
                if owner == self.handlers[name] and verb in ROUTE_VERBS:
                    continue
                if not owner and full in self.own_decorators:
                    continue
                if passes_the_call_through(callee):
                    self.findings.note(name, DOCUMENTATION_NOTE.format(full), Status.converted)
                    continue
                self.findings.note(
                    name,
                    f"decorator @{full or '...'} was written for Flask views: check or replace it",
                    Status.manual,
                )
            return True
        return any(isinstance(s, cst.FunctionDef) for s in getattr(node.body, "body", []))

    @property
    def own_decorators(self) -> frozenset[str]:
        """The package's keyword-passing view decorators (they work on the new routes)."""
        parts = self.state.module_path
        filename = self.context.filename
        if not parts or not filename or not Path(filename).is_file():
            return frozenset()
        return view_decorators(Path(filename).resolve().parents[len(parts) - 1])

    def visit_Name(self, node: cst.Name) -> None:
        if self.current_function not in self.handlers:
            return
        reason = self.legacy_names.get(node.value)
        if reason and node.value not in self.params:
            self.todo(reason, Status.manual)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.current_function in self.handlers and node.attr.value == "query":
            owner = dotted_name(node.value)
            if owner and owner[:1].isupper():
                self.todo(f"{owner}.query: use select() on a SQLAlchemy session", Status.manual)

    def visit_Call(self, node: cst.Call) -> None:
        if self.current_function not in self.handlers:
            return
        helpers = self.read(RequestFacts).request_helpers
        callee = dotted_name(node.func)
        if callee in helpers:
            self.todo(
                f"{callee}() reads flask.request: pass it the handler's values", Status.manual
            )
