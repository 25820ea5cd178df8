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
from collections.abc import Callable, Collection
from dataclasses import dataclass
from types import FunctionType

import libcst as cst
from libcst import CSTNode, CSTVisitor, MaybeSentinel

from codemods.engine.kinds import (
    KindIndex,
    Wanted,
    bounds,
    child_nodes,
    handled_kinds,
    kind_bit,
)
from codemods.engine.traverse import _PLANS, plan_of

_DEFAULT = MaybeSentinel.DEFAULT
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
    hooks = _visitor_hooks(type(visitor))
    if hooks.dispatches or hooks.by_attribute:
        _walk(node, visitor, kinds if handled is not None else None, handled or 0)
        return
    skip = None if kinds is None or handled is None else kinds.without(Wanted(handled))
    _walk_hooks(node, visitor, hooks.visit, hooks.leave, skip)


def _walk(node: CSTNode, visitor: CSTVisitor, kinds: KindIndex | None, handled: int) -> None:
    if kinds is not None and not kinds.mask(node) & handled:
        return
    if visitor.on_visit(node):
        for child in child_nodes(node):
            _walk(child, visitor, kinds, handled)
    visitor.on_leave(node)


def _walk_hooks(
    node: CSTNode,
    visitor: CSTVisitor,
    visits: dict[type[CSTNode], Callable[..., object]],
    leaves: dict[type[CSTNode], Callable[..., object]],
    skip: Callable[[CSTNode], bool] | None,
) -> None:
    """`_walk` for a visitor with plain `visit_X`/`leave_X` hooks: what libcst's `on_visit` and
    `on_leave` would look up by name at every node, found in the class's tables."""
    if skip is not None and skip(node):
        return
    kind = type(node)
    hook = visits.get(kind)
    if hook is None or hook(visitor, node) is not False:
        for child in child_nodes(node):
            _walk_hooks(child, visitor, visits, leaves, skip)
    hook = leaves.get(kind)
    if hook is not None:
        hook(visitor, node)


@dataclass(frozen=True)
class _VisitorHooks:
    """A visitor class's own hooks, read once from its class and its bases above libcst's."""

    visit: dict[type[CSTNode], Callable[..., object]]
    leave: dict[type[CSTNode], Callable[..., object]]
    dispatches: bool  # it overrides `on_visit`/`on_leave`: they are called for every node
    by_attribute: bool  # it has `visit_X_attr`-style hooks: libcst visits it
    handled: int  # the mask (kinds.kind_bit) of the node types of `visit` and `leave`


# Weak: visitors are often classes defined inside a function, a new one at each call.
_VISITOR_HOOKS: weakref.WeakKeyDictionary[type[CSTVisitor], _VisitorHooks] = (
    weakref.WeakKeyDictionary()
)


def _visitor_hooks(kind: type[CSTVisitor]) -> _VisitorHooks:
    found = _VISITOR_HOOKS.get(kind)
    if found is not None:
        return found
    visit: dict[type[CSTNode], Callable[..., object]] = {}
    leave: dict[type[CSTNode], Callable[..., object]] = {}
    dispatches = by_attribute = False
    seen: set[str] = set()
    for owner in kind.__mro__:
        if owner in CSTVisitor.__mro__:
            continue  # libcst's own classes: default hooks only
        for name, value in vars(owner).items():
            if name in seen:
                continue
            seen.add(name)  # the first owner in the MRO is the one that counts
            if name in ("on_visit", "on_leave"):
                dispatches = True
            elif name in ("on_visit_attribute", "on_leave_attribute"):
                by_attribute = True
            elif name.startswith(("visit_", "leave_")):
                node_type = getattr(cst, name.split("_", 1)[1], None)
                plain = isinstance(value, FunctionType)  # not a static or class method
                if not (plain and isinstance(node_type, type) and issubclass(node_type, CSTNode)):
                    by_attribute = True  # `visit_Call_func`, or a hook libcst would not call
                    continue
                (visit if name.startswith("visit_") else leave)[node_type] = getattr(kind, name)
    handled = 0
    for node_type in (*visit, *leave):
        handled |= kind_bit(node_type)
    found = _VISITOR_HOOKS[kind] = _VisitorHooks(visit, leave, dispatches, by_attribute, handled)
    return found


def in_order(
    node: CSTNode,
    visitor: CSTVisitor,
    kinds: KindIndex | None = None,
    passed: Collection[CSTNode] = (),
) -> None:
    """`node.visit(visitor)` for a `CSTVisitor`: the same `visit_X`/`leave_X` (or `on_visit`/
    `on_leave`) calls in the same order, without rebuilding the nodes. A visitor with
    `visit_X_attr`-style hooks is left to libcst. Given `kinds` (the masks of the tree), the
    subtrees holding no node type a `visit_X`/`leave_X` hook of the visitor is for are passed
    by (no hook would run in them). The nodes in `passed` (a visitor with plain hooks only) are
    passed by too, with their subtrees: no hook runs on them or inside them."""
    hooks = _visitor_hooks(type(visitor))
    if hooks.by_attribute:
        node.visit(visitor)
    elif hooks.dispatches:
        _in_order(node, visitor.on_visit, visitor.on_leave, visitor)
    elif kinds is not None and not passed:
        if kinds.mask(node) & hooks.handled:
            tables = hooks.visit, hooks.leave, None, hooks.handled, bounds(), kinds.mask
            _in_order_hooks(node, visitor, *tables)
    else:
        skip = None if kinds is None else kinds.without(Wanted(hooks.handled))
        if passed:
            lacks = skip
            skip = passed.__contains__ if lacks is None else lambda n: n in passed or lacks(n)
        _in_order_hooks(node, visitor, hooks.visit, hooks.leave, skip, hooks.handled, bounds())


def _in_order(
    node: CSTNode,
    on_visit: Callable[[CSTNode], bool],
    on_leave: Callable[[CSTNode], object],
    visitor: CSTVisitor,
    skip: Callable[[CSTNode], bool] | None = None,
) -> None:
    if skip is not None and skip(node):
        return
    if on_visit(node):
        plan = plan_of(type(node))
        if plan is None:  # libcst's own visit of the children
            node._visit_and_replace_children(visitor)
        else:
            for field, _ in plan:
                child = getattr(node, field)
                if type(child) is tuple or type(child) is list:
                    for item in child:
                        _in_order(item, on_visit, on_leave, visitor, skip)
                elif child is not None and child is not MaybeSentinel.DEFAULT:
                    _in_order(child, on_visit, on_leave, visitor, skip)
    on_leave(node)


def _in_order_hooks(
    node: CSTNode,
    visitor: CSTVisitor,
    visits: dict[type[CSTNode], Callable[..., object]],
    leaves: dict[type[CSTNode], Callable[..., object]],
    skip: Callable[[CSTNode], bool] | None,
    handled: int,
    bounded: dict[type[CSTNode], int],
    mask: Callable[[CSTNode], int] | None = None,
) -> None:
    """`_in_order` for a visitor with plain `visit_X`/`leave_X` hooks, found in its class's
    tables rather than by name at every node. `handled`: the mask of the hooks' node types; a
    child is passed by, in the parent's loop, when its type bounds its subtree to none of them
    (`bounded`, kinds.bounds: whitespace, punctuation, literals) or, given the tree's masks
    (`mask`, KindIndex.mask), its subtree holds none of them; `skip`: a test of the node itself."""
    if skip is not None and skip(node):
        return
    kind = type(node)
    hook = visits.get(kind)
    if hook is None or hook(visitor, node) is not False:
        plan = _PLANS[kind] if kind in _PLANS else plan_of(kind)
        if plan is None:  # libcst's own visit of the children
            node._visit_and_replace_children(visitor)
        else:
            for field, _ in plan:
                child = getattr(node, field)
                child_kind = type(child)
                if child_kind is tuple or child_kind is list:
                    for item in child:
                        bound = bounded.get(type(item))
                        if bound is None:
                            bound = handled if mask is None else mask(item)
                        if bound & handled:
                            _in_order_hooks(
                                item, visitor, visits, leaves, skip, handled, bounded, mask
                            )
                elif child is not None and child is not _DEFAULT:
                    bound = bounded.get(child_kind)
                    if bound is None:
                        bound = handled if mask is None else mask(child)
                    if bound & handled:
                        _in_order_hooks(
                            child, visitor, visits, leaves, skip, handled, bounded, mask
                        )
    hook = leaves.get(kind)
    if hook is not None:
        hook(visitor, node)
