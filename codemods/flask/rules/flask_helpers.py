"""Module functions that still use Flask after every conversion work only inside Flask: a route
calling one is `manual`, naming the helper and what it uses. `flask.session`, `g`, `request`
and `url_for(...)` with a literal endpoint are converted in helpers (the flask-context and
responses rules), so what is left is the rest: `render_template`, `flash`, `current_app`
beyond `.config`, a computed `url_for` endpoint..."""

from __future__ import annotations

import libcst as cst

from codemods.engine.findings import Status
from codemods.engine.nodes import called_names, descendants, dotted_name
from codemods.engine.rule import Rule

FLASK_MODULES = ("flask", "flask_login", "flask_wtf")


def flask_names(module: cst.Module) -> dict[str, str]:
    """Local name -> `module.name` for what the module still imports from Flask packages."""
    names: dict[str, str] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            source = dotted_name(small.module) if small.module else None
            if source is None or source.split(".")[0] not in FLASK_MODULES:
                continue
            for alias in small.names:
                name = dotted_name(alias.name) or ""
                local = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
                names[local] = f"{source}.{name}"
    return names


class FlaskHelpersRule(Rule):
    name = "flask-helpers"
    DESCRIPTION = "Routes calling module functions that still use Flask -> manual, with the reason."
    triggers = ("from flask",)
    needs_handlers = True
    requires = ("routes",)

    def visit_Module(self, node: cst.Module) -> bool:
        imported = flask_names(node)
        if not imported:
            return False
        functions = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}
        uses: dict[str, list[str]] = {}
        for name, function in functions.items():
            if name in self.handlers or not self.may_spell(function.body, *imported):
                continue
            found = {
                imported[n.value]
                for n in descendants(function.body)
                if isinstance(n, cst.Name) and n.value in imported
            }
            if found:
                uses[name] = sorted(found)
        for name, function in functions.items():
            if name not in self.handlers or not self.may_spell(function.body, *uses):
                continue
            for helper in sorted(called_names(function) & uses.keys()):
                self.findings.note(
                    name,
                    f"{helper}() still uses {', '.join(uses[helper])}, which works only inside "
                    "Flask: port it",
                    Status.manual,
                )
        return False
