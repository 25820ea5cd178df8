"""What a Flask view reads of the form it is posted, read from its code: the literal keys it
takes from `request.form` or `request.values` (`request.form["q"]`, `.get("q")`,
`.getlist(...)`, `"q" in request.values`).

Verification posts them (each with the same typed text) to a route that takes POST only, a
button's form or a page's script, where it would otherwise post nothing and both sides would
answer the same 400 (lektor's admin search reads `request.values.get("q")`).
"""

from __future__ import annotations

import ast

from codemods.engine.parsed import parse_ast_shared
from codemods.engine.submission_keys import keys_read

SUBMISSIONS = frozenset({"form", "values"})


def _is_form(node: ast.AST) -> bool:
    """`request.form`, `request.values`, or either through `flask.request`."""
    if not isinstance(node, ast.Attribute) or node.attr not in SUBMISSIONS:
        return False
    owner = node.value
    if isinstance(owner, ast.Name):
        return owner.id == "request"
    return (
        isinstance(owner, ast.Attribute)
        and owner.attr == "request"
        and isinstance(owner.value, ast.Name)
        and owner.value.id == "flask"
    )


def post_keys(source: str, view: str) -> list[str]:
    """The keys the module-level function `view` of `source` reads from the form (none when it
    is not found, or `source` does not parse)."""
    return keys_in(module_tree(source), view)


def module_tree(source: str) -> ast.Module | None:
    """The module's `ast` tree (the run's shared one), None when it does not parse."""
    try:
        return parse_ast_shared(source)
    except (SyntaxError, ValueError):
        return None


def keys_in(tree: ast.Module | None, view: str) -> list[str]:
    """`post_keys` of a parsed module."""
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == view:
            return keys_read(node, _is_form)
    return []
