"""Flask-Principal's set-up -> the runtime's (codemods/runtime/flask/principal.py): the
permissions of the app's Flask-RESTful resources are ported, not left for a person.

    principal.init_app(app)   ->  init_principal(principal, app)

`principal` is a name the package binds to `Principal(...)` (lemur's extensions.py:
`principal = Principal(use_sessions=False)`), used here or imported. A `Principal(app)` made
with the app is left as it is (its permissions stay reported).
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.analysis import analysis_of

PRINCIPAL_RUNTIME = "codemods.runtime.flask.principal"


class PrincipalRule(Rule):
    name = "principal"
    DESCRIPTION = "Flask-Principal's principal.init_app(app) -> the runtime's init_principal."
    triggers = (".init_app(",)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "init_app"):
            return updated_node
        owner = dotted_name(func.value) or ""
        if owner.rpartition(".")[2] not in analysis_of(self.state).principals:
            return updated_node
        if len(original_node.args) != 1 or original_node.args[0].keyword is not None:
            return updated_node
        self.use(PRINCIPAL_RUNTIME, "init_principal")
        app = updated_node.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        principal = cst.Arg(func.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return cst.Call(func=cst.Name("init_principal"), args=[principal, app])
