"""`flask.json` is imported as the names the rules convert:

    from flask.json import jsonify      ->  from flask import jsonify
    from flask import json              ->  import json     (when only `json.loads`/`json.load`
    json.loads(request.data)                                  are used: Flask's default provider
                                                              loads as the standard library does)

`json.dumps` (Flask sorts keys and serializes dates its own way) keeps Flask's module.

The other submodules Flask re-exports from its package are imported from `flask` too, so the
rules that read `from flask import ...` see them:

    from flask.helpers import send_from_directory  ->  from flask import send_from_directory
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.edit import without_imported_names
from codemods.engine.nodes import descendants, dotted_name
from codemods.engine.rule import Rule

SAME_AS_STDLIB = {"loads", "load"}

# flask.<submodule> -> the names `flask` itself exports from it
REEXPORTED: dict[str, frozenset[str]] = {
    "flask.json": frozenset({"jsonify"}),
    "flask.helpers": frozenset(
        {
            "abort",
            "flash",
            "get_flashed_messages",
            "get_template_attribute",
            "make_response",
            "redirect",
            "send_file",
            "send_from_directory",
            "stream_with_context",
            "url_for",
        }
    ),
    "flask.templating": frozenset(
        {"render_template", "render_template_string", "stream_template", "stream_template_string"}
    ),
    "flask.globals": frozenset({"current_app", "g", "request", "session"}),
    "flask.wrappers": frozenset({"Request", "Response"}),
    "flask.blueprints": frozenset({"Blueprint"}),
    "flask.app": frozenset({"Flask"}),
    "flask.ctx": frozenset(
        {
            "after_this_request",
            "copy_current_request_context",
            "has_app_context",
            "has_request_context",
        }
    ),
}


def json_uses(module: cst.Module) -> set[str] | None:
    """The attributes read on the name `json`, or None when it is used otherwise."""
    attributes: set[str] = set()
    parents: dict[int, cst.CSTNode] = {}
    for node in descendants(module):
        for child in node.children:
            parents[id(child)] = node
    for node in descendants(module):
        if not (isinstance(node, cst.Name) and node.value == "json"):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, cst.ImportAlias | cst.ImportFrom):
            continue
        if isinstance(parent, cst.Attribute) and parent.value is node:
            attributes.add(parent.attr.value)
        else:
            return None
    return attributes


class FlaskJsonRule(Rule):
    name = "flask-json"
    DESCRIPTION = (
        "from flask.json import jsonify / from flask import json -> the convertible forms."
    )
    triggers = ("json", "from flask.")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        if original_node.relative or original_node.module is None:
            return updated_node
        exported = REEXPORTED.get(dotted_name(original_node.module) or "")
        if exported is None or isinstance(original_node.names, cst.ImportStar):
            return updated_node
        if all(dotted_name(alias.name) in exported for alias in original_node.names):
            return updated_node.with_changes(module=cst.Name("flask"))
        return updated_node

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not imports_flask_json(updated_node):
            return updated_node
        uses = json_uses(updated_node)
        if uses is None or not uses <= SAME_AS_STDLIB:
            return updated_node
        statements = list(updated_node.body)
        at = next(i for i, s in enumerate(statements) if imports_flask_json(cst.Module([s])))
        kept = without_imported_names(statements[at : at + 1], "flask", {"json"})
        stdlib = cst.parse_statement("import json\n")
        if not kept:  # the line imported only json: keep its comments and blank lines
            stdlib = stdlib.with_changes(leading_lines=statements[at].leading_lines)
        body = [*statements[:at], *kept, stdlib, *statements[at + 1 :]]
        return updated_node.with_changes(body=body)


def imports_flask_json(module: cst.Module) -> bool:
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and small.module is not None
                and dotted_name(small.module) == "flask"
                and not isinstance(small.names, cst.ImportStar)
                and any(dotted_name(a.name) == "json" and a.asname is None for a in small.names)
            ):
                return True
    return False
