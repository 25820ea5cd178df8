"""libcst's own dispatch for a plain `CSTTransformer` (not a rule), from tables built per class.

libcst's `on_visit`/`on_leave` look a `visit_<Type>`/`leave_<Type>` method up by name at every
node, and its attribute hooks do the same for every child field. For a transformer class that
keeps libcst's `on_*` methods, the same hooks are found in a table keyed by node type, the
attribute hooks are not called when the class has none, and `handled` is the mask of node types
it has any hook for (a subtree holding none comes out of the pass unchanged).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst
from libcst import CSTNode, CSTTransformer

from codemods.engine.kinds import kind_bit

Hook = Callable[..., object]
_LIBCST = frozenset(CSTTransformer.__mro__)
_ON = ("on_visit", "on_leave", "on_visit_attribute", "on_leave_attribute")


@dataclass(frozen=True)
class PlainHooks:
    visit: dict[type[CSTNode], Hook]
    leave: dict[type[CSTNode], Hook]
    attributes: bool  # any `visit_<Type>_<field>` / `leave_<Type>_<field>`
    handled: int


# Weak: such transformers are often classes defined inside a function, a new one at each call.
_TABLES: weakref.WeakKeyDictionary[type[CSTTransformer], PlainHooks | None] = (
    weakref.WeakKeyDictionary()
)


def plain_hooks(kind: type[CSTTransformer]) -> PlainHooks | None:
    """The class's hooks, or None when it overrides an `on_*` method (libcst's path then)."""
    if kind not in _TABLES:
        _TABLES[kind] = _read(kind)
    return _TABLES[kind]


def own_leave_hooks(kind: type[CSTTransformer]) -> PlainHooks | None:
    """For a class overriding libcst's `on_leave` only: its `visit_<Type>` hooks (`leave` is
    empty: its own `on_leave` runs), found as `plain_hooks` finds them; else None."""
    if kind not in _LEAVING:
        _LEAVING[kind] = _read(kind, own_leave=True)
    return _LEAVING[kind]


_LEAVING: weakref.WeakKeyDictionary[type[CSTTransformer], PlainHooks | None] = (
    weakref.WeakKeyDictionary()
)


def _read(kind: type[CSTTransformer], own_leave: bool = False) -> PlainHooks | None:
    visit: dict[type[CSTNode], Hook] = {}
    leave: dict[type[CSTNode], Hook] = {}
    attributes = False
    handled = 0
    seen: set[str] = set()
    leaving = False
    for owner in kind.__mro__:
        if owner in _LIBCST:
            continue  # libcst's no-op hooks
        for name, value in vars(owner).items():
            if name in seen:
                continue
            seen.add(name)  # the first owner in the MRO is the one that counts
            if own_leave and name == "on_leave":
                leaving = True
                continue
            if name in _ON:
                return None
            prefix, _, rest = name.partition("_")
            if prefix not in ("visit", "leave") or not rest:
                continue
            type_name, _, field = rest.partition("_")
            node_type = getattr(cst, type_name, None)
            if not (isinstance(node_type, type) and issubclass(node_type, CSTNode)):
                continue  # not a hook libcst calls
            if not callable(value) or isinstance(value, staticmethod | classmethod):
                return None  # called as `hook(visitor, ...)` below: plain functions only
            handled |= kind_bit(node_type)
            if field:
                attributes = True
            elif prefix == "visit":
                visit[node_type] = value
            else:
                leave[node_type] = value
    if own_leave:
        return PlainHooks(visit, {}, attributes, handled) if leaving else None
    return PlainHooks(visit, leave, attributes, handled)


def dispatch(
    visitor: CSTTransformer, hooks: PlainHooks
) -> tuple[Callable[[CSTNode], bool], Callable[[CSTNode, CSTNode], object]]:
    """`visitor.on_visit` and `visitor.on_leave`, as libcst defines them, from the tables."""
    visits, leaves = hooks.visit, hooks.leave

    def on_visit(node: CSTNode) -> bool:
        hook = visits.get(type(node))
        return hook is None or hook(visitor, node) is not False

    if not leaves and type(visitor).on_leave is not CSTTransformer.on_leave:
        return on_visit, visitor.on_leave  # own_leave_hooks: the class's own `on_leave`

    def on_leave(original_node: CSTNode, updated_node: CSTNode) -> object:
        hook = leaves.get(type(original_node))
        return updated_node if hook is None else hook(visitor, original_node, updated_node)

    return on_visit, on_leave
