"""Read-only visits that rebuild nothing.

`node.visit(visitor)` with a `CSTVisitor` still rebuilds every node it descends into, exactly like
a transformer, and throws the copies away. `walk` calls the same `visit_X`/`leave_X` hooks (not
the `visit_X_attr` ones) on the nodes as they are. Children come in field order, not source order:
use it for searches and collections, not where the order of the hooks matters.
"""

from __future__ import annotations

import weakref

from libcst import CSTNode, CSTVisitor

from codemods.engine.kinds import KindIndex, child_nodes, handled_kinds

# Weak: visitors are often classes defined inside a function, a new one at each call.
_HANDLED: weakref.WeakKeyDictionary[type[CSTVisitor], int | None] = weakref.WeakKeyDictionary()


def walk(node: CSTNode, visitor: CSTVisitor, kinds: KindIndex | None = None) -> None:
    """Run `visitor` over `node` and its descendants. With `kinds`, subtrees holding no node type
    the visitor has hooks for are skipped."""
    handled: int | None = None
    if kinds is not None:
        kind = type(visitor)
        if kind not in _HANDLED:
            _HANDLED[kind] = handled_kinds(kind, ignore=(), base=CSTVisitor)
        handled = _HANDLED[kind]
    _walk(node, visitor, kinds if handled is not None else None, handled or 0)


def _walk(node: CSTNode, visitor: CSTVisitor, kinds: KindIndex | None, handled: int) -> None:
    if kinds is not None and not kinds.mask(node) & handled:
        return
    if visitor.on_visit(node):
        for child in child_nodes(node):
            _walk(child, visitor, kinds, handled)
    visitor.on_leave(node)
