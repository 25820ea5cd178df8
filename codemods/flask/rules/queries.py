"""Flask-SQLAlchemy queries in views -> SQLAlchemy 2.0 on a session dependency
(docs/mappings.md: `query.get_or_404` -> a helper raising 404, `Model.query.filter_by(...)` ->
`select(...)` on the session).

`db.session.x` -> `session.x`; `db.select` -> `select`; `db.get_or_404(M, id)` and
`M.query.get_or_404(id)` -> `get_or_404(session, M, id)`; `M.query.<chain>.all()/first()/one()`
-> `session.scalars(select(M).<chain>)...`; `.first_or_404()` and `.count()` -> helpers. The
session comes from a generated `database.py` beside the converted package (same database URL
as the legacy app). Anything else on `db` or `.query` stays for the leftovers rule to mark.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.engine.context import add_import
from codemods.engine.edit import add_keyword_params, expr
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.database_module import add_database_module, session_module
from codemods.flask.tables.responses import RUNTIME

CHAIN_METHODS = {"filter_by", "filter", "where", "order_by", "limit", "offset", "join", "distinct"}
SCALAR_TERMINALS = {"all", "first", "one", "one_or_none"}


def code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def args_code(args: Sequence[cst.Arg]) -> str:
    return ", ".join(code(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip() for a in args)


class QueriesRule(Rule):
    name = "queries"
    DESCRIPTION = "Flask-SQLAlchemy queries in views -> select() on a session dependency."
    triggers = (".query", "db.")
    gated = (cst.ClassDef, cst.SimpleStatementLine, cst.FunctionDef, cst.Attribute, cst.Call)
    gate_names = ("db", "query", "session")
    needs_handlers = True
    requires = ("routes",)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.name.value in self.handlers or self.declares_handlers(node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if self.current_function not in self.handlers:
            return updated_node
        name = dotted_name(original_node)
        if name == "db.session":
            return cst.Name("session")
        if name == "db.select":
            self.use("sqlalchemy", "select")
            return cst.Name("select")
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.current_function not in self.handlers:
            return updated_node
        func = original_node.func
        if not isinstance(func, cst.Attribute):
            return updated_node
        callee = dotted_name(func)
        if callee in ("db.get_or_404", "db.first_or_404"):
            helper = callee.split(".")[1]
            self.use(RUNTIME, helper)
            return expr(f"{helper}(session, {args_code(updated_node.args)})")
        return self.model_query(func.attr.value, func.value, updated_node.args) or updated_node

    def model_query(
        self, terminal: str, receiver: cst.BaseExpression, arguments: Sequence[cst.Arg]
    ) -> cst.BaseExpression | None:
        """`Model.query.<chain>.<terminal>(args)`, or None when it is something else."""
        chain: list[str] = []
        node = receiver
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method not in CHAIN_METHODS:
                return None
            chain.insert(0, f".{method}({args_code(node.args)})")
            node = node.func.value
        if not (isinstance(node, cst.Attribute) and node.attr.value == "query"):
            return None
        model = dotted_name(node.value)
        if model is None or not model.split(".")[-1][:1].isupper():
            return None
        args = args_code(arguments)
        statement = f"select({model}){''.join(chain)}"
        if terminal in ("get", "get_or_404") and not chain:
            if terminal == "get":
                return expr(f"session.get({model}, {args})")
            self.use(RUNTIME, "get_or_404")
            return expr(f"get_or_404(session, {model}, {args})")
        if terminal in SCALAR_TERMINALS:
            self.use("sqlalchemy", "select")
            return expr(f"session.scalars({statement}).{terminal}({args})")
        if terminal in ("first_or_404", "count"):
            self.use("sqlalchemy", "select")
            self.use(RUNTIME, terminal)
            extra = f", {args}" if args else ""
            return expr(f"{terminal}(session, {statement}{extra})")
        if terminal in CHAIN_METHODS:
            # Still a query (iterated, kept in a variable, chained later): SQLAlchemy's own
            # legacy Query is what Flask-SQLAlchemy's `Model.query` is.
            return expr(f"session.query({model}){''.join(chain)}.{terminal}({args})")
        return None

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if original_node.name.value not in self.handlers:
            return updated_node
        if not self.uses_name(updated_node.body, "session"):
            return updated_node
        if self.binds_name(
            original_node, "session"
        ):  # the view's own (`with session_scope() as session`)
            return updated_node
        dots = self.state.to_root + session_module(self.state)
        add_import(self.context, dots, "get_session")
        self.use("sqlalchemy.orm", "Session")
        self.use("typing", "Annotated")
        self.use("fastapi", "Depends")
        add_database_module(self.state)
        return add_keyword_params(
            updated_node, [("session", "Annotated[Session, Depends(get_session)]", None)]
        )
