"""`flask.flash(message, category)` in views -> `flash(request, message, category)` from
`codemods.runtime.flask.templates`: messages go to the Flask session cookie (the app's own, or
the one the generated `login_bridge.py` plugs in), so they cross sides both ways."""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import add_keyword_params, without_imported_names
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.analysis import session_plugged_in

TEMPLATES_RUNTIME = "codemods.runtime.flask.templates"


class FlashRule(Rule):
    name = "flash"
    DESCRIPTION = "flask.flash() in views -> the runtime's flash(request, ...)."
    triggers = ("flash",)
    needs_handlers = True
    requires = ("routes",)
    gated = (cst.ImportFrom, cst.ClassDef, cst.SimpleStatementLine, cst.Call)
    gate_names = ("flash",)  # and what it is imported as (visit_ImportFrom)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.local_names: set[str] = set()  # what `flask.flash` is called in this module
        self.flashing: set[str] = set()  # handlers that flash

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or dotted_name(node.module) != "flask":
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if dotted_name(alias.name) == "flash":
                local = alias.asname.name if alias.asname else alias.name
                if isinstance(local, cst.Name):
                    self.local_names.add(local.value)
                    self.open_gate(local.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        callee = dotted_name(original_node.func)
        if callee not in self.local_names and callee != "flask.flash":
            return updated_node
        handler = self.current_function
        if handler not in self.handlers:
            self.todo("flash() outside a view needs the request: pass it in", Status.manual)
            return updated_node
        self.flashing.add(handler)
        self.use(TEMPLATES_RUNTIME, "flash")
        return updated_node.with_changes(
            func=cst.Name("flash"), args=[cst.Arg(cst.Name("request")), *updated_node.args]
        )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        name = original_node.name.value
        if name not in self.flashing:
            return updated_node
        session_plugged_in(self.state)  # writes the login bridge when the app has one
        self.use("fastapi", "Request")
        return add_keyword_params(updated_node, [("request", "Request", None)])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.flashing:
            return updated_node
        body = without_imported_names(updated_node.body, "flask", self.local_names)
        return updated_node.with_changes(body=body)
