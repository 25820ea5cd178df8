"""Read-only visits that rebuild nothing.

`node.visit(visitor)` with a `CSTVisitor` still rebuilds every node it descends into, exactly like
a transformer, and throws the copies away. `walk` calls the same `visit_X`/`leave_X` hooks (not
the `visit_X_attr` ones) on the nodes as they are. Children come in field order, not source order:
use it for searches and collections, not where the order of the hooks matters.

`in_order` is `node.visit(visitor)` itself for a read-only visitor: the same hooks in libcst's
(source) order, on the nodes as they are.
"""

from __future__ import annotations

import weakref

from libcst import CSTNode, CSTVisitor, MaybeSentinel

from codemods.engine.kinds import KindIndex, child_nodes, handled_kinds
from codemods.engine.traverse import plan_of

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


_ATTRIBUTE_HOOKS: weakref.WeakKeyDictionary[type[CSTVisitor], bool] = weakref.WeakKeyDictionary()


def in_order(node: CSTNode, visitor: CSTVisitor) -> None:
    """`node.visit(visitor)` for a `CSTVisitor`: the same `visit_X`/`leave_X` (and `on_visit`/
    `on_leave`) calls in the same order, without rebuilding the nodes. A visitor with
    `visit_X_attr`-style hooks is left to libcst."""
    kind = type(visitor)
    if kind not in _ATTRIBUTE_HOOKS:
        _ATTRIBUTE_HOOKS[kind] = _has_attribute_hooks(kind)
    if _ATTRIBUTE_HOOKS[kind]:
        node.visit(visitor)
    else:
        _in_order(node, visitor)


def _has_attribute_hooks(kind: type[CSTVisitor]) -> bool:
    if kind.on_visit_attribute is not CSTVisitor.on_visit_attribute:
        return True
    if kind.on_leave_attribute is not CSTVisitor.on_leave_attribute:
        return True
    return any(
        name.startswith(("visit_", "leave_"))
        and name.count("_") >= 2
        and getattr(kind, name) is not getattr(CSTVisitor, name, None)
        for name in dir(kind)
    )


def _in_order(node: CSTNode, visitor: CSTVisitor) -> None:
    if visitor.on_visit(node):
        plan = plan_of(type(node))
        if plan is None:
            node._visit_and_replace_children(visitor)  # libcst's own visit of the children
        else:
            for field, _ in plan:
                child = getattr(node, field)
                if type(child) is tuple or type(child) is list:
                    for item in child:
                        _in_order(item, visitor)
                elif child is not None and child is not MaybeSentinel.DEFAULT:
                    _in_order(child, visitor)
    visitor.on_leave(node)
