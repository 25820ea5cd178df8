"""Names spelled by Python's `ast` nodes (the analyses read modules with `ast`, the rules with
libcst: codemods/engine/nodes.py has the libcst twin)."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

from codemods.engine.parsed import parse_ast_shared, run_memo

# The nodes holding statements: statements, and a `try`'s handlers and a `match`'s cases.
_BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)


def statements(tree: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk(tree)` restricted to the statements (and the handlers and cases holding some),
    in `ast.walk`'s order: imports, assignments, functions and classes wherever they are,
    without walking every expression."""
    pending = deque([tree])
    while pending:
        node = pending.popleft()
        pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, _BLOCKS))
        yield node


def ast_dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a Name/Attribute chain, otherwise None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = ast_dotted(node.value)
        return f"{owner}.{node.attr}" if owner else None
    return None


def top_level_classes(sources: list[str]) -> Iterator[tuple[ast.ClassDef, str]]:
    """Each class defined at the top of one of `sources`, with its source (a source that does
    not parse is passed by)."""
    for source in sources:
        try:
            tree = parse_ast_shared(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                yield node, source


def calls_in(node: ast.AST) -> tuple[ast.Call, ...]:
    """The calls in `node`'s subtree, in `ast.walk`'s order: within a run, walked once per node
    (the analyses asking which names a function calls, and through what, share the walk)."""
    memo = run_memo()
    if memo is None:
        return _calls(node)
    key = ("calls_in", id(node))
    found = memo.get(key)
    if not (isinstance(found, tuple) and found[0] is node):
        found = memo[key] = (node, _calls(node))
    return found[1]


def _calls(node: ast.AST) -> tuple[ast.Call, ...]:
    return tuple(n for n in ast.walk(node) if isinstance(n, ast.Call))
