"""Names spelled by Python's `ast` nodes (the analyses read modules with `ast`, the rules with
libcst: codemods/engine/nodes.py has the libcst twin)."""

from __future__ import annotations

import ast


def ast_dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a Name/Attribute chain, otherwise None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = ast_dotted(node.value)
        return f"{owner}.{node.attr}" if owner else None
    return None
