"""Plain WTForms forms: classes on `wtforms.Form` (not Flask-WTF's `FlaskForm`).

Such a form reads no Flask request: its caller hands it the data (`ApiTagForm(data=json)`,
`SearchForm(request.args)`), so it runs unchanged in the generated app, given the runtime's
Werkzeug MultiDicts (`request_form()`, `request_args()`) or plain data. The forms rule keeps it as
it is (a Pydantic model would drop its own fields, properties and validators, and its callers
construct it with data), and the form-views rule leaves its calls alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from codemods.engine.ast_names import ast_dotted, statements
from codemods.engine.parsed import parse_ast_shared

FLASK_WTF_BASES = frozenset({"FlaskForm", "flask_wtf.FlaskForm"})


def plain_form_classes(source: str, known: Iterable[str] = ()) -> set[str]:
    """The classes of `source` on a plain `wtforms.Form` chain: derived from `Form` imported from
    wtforms, `wtforms.Form`, a class of `known` (plain forms of other modules) or another such
    class of the module, and from no Flask-WTF form."""
    try:
        tree = parse_ast_shared(source)
    except SyntaxError:
        return set()
    plain = set(known)
    for node in statements(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "wtforms" and not node.level:
            plain.update(a.asname or a.name for a in node.names if a.name == "Form")
        elif isinstance(node, ast.Import) and any(a.name == "wtforms" for a in node.names):
            plain.add("wtforms.Form")
    classes = [node for node in statements(tree) if isinstance(node, ast.ClassDef)]
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in classes:
            if node.name in found:
                continue
            bases = {ast_dotted(base) for base in node.bases}
            if bases & FLASK_WTF_BASES or not bases & (plain | found):
                continue
            found.add(node.name)
            changed = True
    return found
