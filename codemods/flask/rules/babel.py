"""flask-babel -> its runtime twin (codemods/runtime/flask/babel.py): the app's translations
are ported, not commented out.

    from flask_babel import Babel, gettext, lazy_gettext as _l
                          ->  from codemods.runtime.flask.babel import Babel, gettext, ...
    babel = Babel(app, locale_selector=get_locale)        (kept: the twin takes the FastAPI app)
    babel.init_app(app, locale_selector=get_locale)
                          ->  init_babel(babel, app, locale_selector=get_locale)

The twin gives templates flask-babel's `_`/`gettext`/`ngettext` and reads the same catalogs.
Names the twin lacks (`format_datetime`, Babel's formatting) stay imported from flask-babel. The
`babel` of `babel.init_app` is a name bound to `Babel(...)` in the module or imported under a name
containing "babel" (`from .extensions import babel`).
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule

BABEL_RUNTIME = "codemods.runtime.flask.babel"
PORTED = frozenset(
    {
        "Babel",
        "gettext",
        "_",
        "ngettext",
        "pgettext",
        "npgettext",
        "lazy_gettext",
        "lazy_ngettext",
        "lazy_pgettext",
        "get_locale",
        "get_translations",
        "refresh",
        "LazyString",
    }
)


class BabelRule(Rule):
    name = "babel"
    DESCRIPTION = "flask_babel's Babel, init_app and gettext functions -> the runtime's twin."
    triggers = ("babel",)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.extensions: set[str] = set()  # names holding a Babel

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted_name(alias.asname.name if alias.asname else alias.name) or ""
            if "babel" in name.lower():
                self.extensions.add(name)

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and dotted_name(node.value.func) == "Babel":
            self.extensions.update(n for t in node.targets if (n := dotted_name(t.target)))

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        if original_node.relative or original_node.module is None:
            return updated_node
        if dotted_name(original_node.module) != "flask_babel":
            return updated_node
        if isinstance(original_node.names, cst.ImportStar):
            return updated_node
        if not all(dotted_name(alias.name) in PORTED for alias in original_node.names):
            return updated_node  # split by leave_SimpleStatementLine
        return updated_node.with_changes(module=cst.parse_expression(BABEL_RUNTIME))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """`from flask_babel import Babel, format_datetime` -> the twin's `Babel`, and
        flask-babel's `format_datetime` on a line of its own."""
        small = updated_node.body[0]
        if len(updated_node.body) != 1 or not isinstance(small, cst.ImportFrom):
            return updated_node
        if small.relative or small.module is None or isinstance(small.names, cst.ImportStar):
            return updated_node
        if dotted_name(small.module) != "flask_babel":
            return updated_node
        ported = [a for a in small.names if dotted_name(a.name) in PORTED]
        kept = [a for a in small.names if dotted_name(a.name) not in PORTED]
        if not ported or not kept:
            return updated_node

        def line(module: str, names: list[cst.ImportAlias]) -> cst.SimpleStatementLine:
            aliases = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in names]
            statement = cst.ImportFrom(module=cst.parse_expression(module), names=aliases)  # type: ignore[arg-type]
            return cst.SimpleStatementLine(body=[statement])

        first = line("flask_babel", kept).with_changes(leading_lines=updated_node.leading_lines)
        return cst.FlattenSentinel([first, line(BABEL_RUNTIME, ported)])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "init_app"):
            return updated_node
        owner = dotted_name(func.value)
        if owner not in self.extensions or not original_node.args:
            return updated_node
        self.use(BABEL_RUNTIME, "init_babel")
        args = [cst.Arg(func.value), *updated_node.args]
        return updated_node.with_changes(func=cst.Name("init_babel"), args=args)
