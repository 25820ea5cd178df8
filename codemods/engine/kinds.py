"""Which node types occur under a node, so a rule can skip subtrees holding none it handles.

A libcst transformer rebuilds every node it descends into, so each rule's pass costs about as much
as parsing the module. Most rules only act on a few node types (calls, functions, classes): a
subtree without any of them comes out of the pass unchanged, and is not worth descending into.

Node types are bits of an int; a node's mask is the union of its own bit and its children's.
Masks are memoised by node identity for one module: the engine's traversal (`traverse.py`) keeps
the very same objects for the subtrees a rule did not change, so the next rule finds their masks
already computed.

The names a subtree spells (`Name` nodes: identifiers, attribute names, keywords) are bits of the
same mask, above the node types' ones: a name sets the bit its CRC-32 picks among `NAME_BITS`
(names sharing a bit only make a subtree look relevant when it is not). The CRC, unlike `hash()`,
is the same in every process whatever `PYTHONHASHSEED` is, so which names share a bit is too. A
rule whose expression hooks act only on a few names (`request`, `query`) skips the expressions
spelling none of them.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator

import libcst as cst
from libcst import CSTNode, CSTTransformer, CSTVisitor

_BITS: dict[type[CSTNode], int] = {}
_CHILD_FIELDS: dict[type[CSTNode], tuple[str, ...]] = {}
LEAF_BITS: dict[type[CSTNode], int] = {}  # node types without child fields
# Types of field values that hold no node.
_LEAVES = frozenset([str, bool, int, type(None), cst.MaybeSentinel])
_NAME = cst.Name
NAME_SHIFT = 256  # above every node type's bit
NAME_BITS = 512  # more bits: fewer names sharing one (a shared bit only costs a visit)


def kind_bit(kind: type[CSTNode]) -> int:
    bit = _BITS.get(kind)
    if bit is None:
        assert len(_BITS) < NAME_SHIFT, "node types overflow into the names' bits"
        bit = _BITS[kind] = 1 << len(_BITS)
        _CHILD_FIELDS[kind] = tuple(
            f.name for f in dataclasses.fields(kind) if f.type not in (str, bool, "str", "bool")
        )
        if not _CHILD_FIELDS[kind]:
            LEAF_BITS[kind] = bit
    return bit


_NAME_BIT: dict[str, int] = {}


def name_bit(name: str) -> int:
    """The mask bit of subtrees spelling `name`."""
    bit = _NAME_BIT.get(name)
    if bit is None:
        bit = _NAME_BIT[name] = 1 << (NAME_SHIFT + zlib.crc32(name.encode()) % NAME_BITS)
    return bit


def name_bits(names: Iterable[str]) -> int:
    """The mask bits of subtrees spelling one of `names`."""
    mask = 0
    for name in names:
        mask |= name_bit(name)
    return mask


def is_node_class(value: object) -> typing.TypeGuard[type[CSTNode]]:
    """`issubclass(value, CSTNode)` for a class, but cheap where it is not one: issubclass on
    libcst's ABCs walks all their subclasses for each class it meets first."""
    return isinstance(value, type) and CSTNode in value.__mro__


for _kind in vars(cst).values():
    if dataclasses.is_dataclass(_kind) and is_node_class(_kind):
        kind_bit(_kind)


def _node_types(annotation: object) -> set[type[CSTNode]] | None:
    """The node classes a field's annotation admits; None when it admits something else."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return set()
    if origin is None:
        if isinstance(annotation, type) and issubclass(annotation, CSTNode):
            return {annotation}
        return set() if annotation in _LEAVES else None
    found: set[type[CSTNode]] = set()
    for argument in typing.get_args(annotation):
        admitted = _node_types(argument)
        if admitted is None:
            return None
        found |= admitted
    return found


@functools.cache
def bounds() -> dict[type[CSTNode], int]:
    """For the node types whose subtrees can only hold whitespace, punctuation and literals
    (`Comma`, `ParenthesizedWhitespace`, `Integer`...): every bit their subtree may have. The
    mask of such a node is this bound, found without visiting its children (a third of the nodes
    of a module) nor memoising it; a bound above the true mask only makes a subtree look relevant.
    Never for a type that may hold a `Name`."""
    concrete = [k for k in _BITS if not getattr(k, "__abstractmethods__", None)]
    below: dict[type[CSTNode], set[type[CSTNode]]] = {}  # class -> its concrete subclasses
    for kind in concrete:
        for ancestor in kind.__mro__:
            below.setdefault(ancestor, set()).add(kind)
    admits: dict[type[CSTNode], set[type[CSTNode]]] = {}
    for kind in concrete:
        try:
            hints = typing.get_type_hints(kind)
        except Exception:  # an annotation this libcst cannot resolve: no bound for it
            continue
        found: set[type[CSTNode]] | None = set()
        for field in _CHILD_FIELDS[kind]:
            admitted = _node_types(hints.get(field))
            if admitted is None or found is None:
                found = None
                break
            for admitted_kind in admitted:
                found |= below.get(admitted_kind, set())
        if found is not None:
            admits[kind] = found
    bounds = {kind: _BITS[kind] for kind in LEAF_BITS}
    grown = True
    while grown:
        grown = False
        for kind, children in admits.items():
            if kind in bounds or kind is _NAME or not children <= bounds.keys():
                continue
            bound = _BITS[kind]
            for child in children:
                bound |= bounds[child]
            bounds[kind] = bound
            grown = True
    return bounds


def child_nodes(node: CSTNode) -> Iterator[CSTNode]:
    """The node's children, in field order."""
    kind = type(node)
    if kind not in _CHILD_FIELDS:
        kind_bit(kind)
    for name in _CHILD_FIELDS[kind]:
        value = getattr(node, name)
        value_kind = type(value)
        if value_kind in _BITS:
            yield value
        elif value_kind is tuple or value_kind is list:
            yield from value
        elif value_kind not in _LEAVES and isinstance(value, CSTNode):
            yield value


def add_children(node: CSTNode, pending: list[CSTNode]) -> None:
    """Append the node's children to `pending`, in field order (a loop's work list)."""
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        kind_bit(kind)
        fields = _CHILD_FIELDS[kind]
    for name in fields:
        value = getattr(node, name)
        value_kind = type(value)
        if value_kind in _BITS:
            pending.append(value)
        elif value_kind is tuple or value_kind is list:
            pending.extend(value)
        elif value_kind not in _LEAVES and isinstance(value, CSTNode):
            pending.append(value)


class Wanted:
    """The node types and names a skip test looks for: a mask that may widen while it runs."""

    __slots__ = ("mask",)

    def __init__(self, mask: int) -> None:
        self.mask = mask


class KindIndex:
    """Node-type (and name) masks of the subtrees of one module, as it goes through the rules."""

    def __init__(self) -> None:
        self._masks: dict[int, int] = {}
        self._alive: list[CSTNode] = []  # ids stay unique while the nodes are referenced
        self._bounds = bounds()

    def without(self, wanted: Wanted) -> Callable[[CSTNode], bool]:
        """A test of whether a subtree holds none of the node types and names in `wanted` (a
        closure: it runs for nearly every node a rule passes by)."""
        masks, mask, bounded = self._masks, self.mask, self._bounds

        def lacks(node: CSTNode) -> bool:
            found = masks.get(id(node))
            if found is None:
                found = bounded.get(type(node)) or mask(node)
            return not found & wanted.mask

        return lacks

    def mask(self, node: CSTNode) -> int:
        found = self._masks.get(id(node))
        if found is not None:
            return found
        kind = type(node)
        found = _BITS.get(kind) or kind_bit(kind)
        if kind is _NAME:
            found |= _NAME_BIT.get(node.value) or name_bit(node.value)  # type: ignore[attr-defined]
        bounded = self._bounds
        for name in _CHILD_FIELDS[kind]:
            value = getattr(node, name)
            value_kind = type(value)
            if value_kind in bounded:
                found |= bounded[value_kind]  # whitespace, punctuation: no call
            elif value_kind in _BITS:
                found |= self.mask(value)
            elif value_kind is tuple or value_kind is list:
                for item in value:
                    found |= bounded.get(type(item)) or self.mask(item)
            elif value_kind not in _LEAVES and isinstance(value, CSTNode):
                found |= self.mask(value)
        self._masks[id(node)] = found
        self._alive.append(node)
        return found


def handled_kinds(
    rule: type[CSTTransformer | CSTVisitor],
    ignore: tuple[type, ...],
    base: type[CSTTransformer | CSTVisitor] = CSTTransformer,
) -> int | None:
    """The mask of node types a visitor class has hooks for (`visit_X`, `leave_X`,
    `visit_X_attr`...), not counting those inherited from `ignore` (pure pruning hooks) or
    libcst's no-op defaults (those of `base`). None when the class overrides `on_visit` or
    `on_leave` itself: then any node may matter."""
    mask = 0
    seen: set[str] = set()
    for owner in rule.__mro__:
        if owner in base.__mro__:
            continue  # libcst's own classes: no-op hooks only
        for name in vars(owner):
            if name in seen or not name.startswith(("visit_", "leave_", "on_")):
                continue
            seen.add(name)  # the first owner in the MRO is the one that counts
            if owner in ignore:
                continue
            if name.startswith("on_"):
                return None
            kind = getattr(cst, name.split("_")[1], None)
            if not (isinstance(kind, type) and issubclass(kind, CSTNode)):
                return None
            mask |= kind_bit(kind)
    return mask


Hook = Callable[..., object]


@dataclasses.dataclass(frozen=True)
class Hooks:
    """A transformer class's overridden hooks, looked up once instead of by name at every node."""

    visit: dict[type[CSTNode], Hook]
    leave: dict[type[CSTNode], Hook]
    by_attribute: bool  # any `visit_X_attr`/`leave_X_attr`
    handled: int | None  # see handled_kinds


_TRANSFORMER_CLASSES = frozenset(CSTTransformer.__mro__)


def _overridden(rule: type[CSTTransformer], name: str) -> Hook | None:
    hook = getattr(rule, name, None)
    return None if hook is None or hook is getattr(CSTTransformer, name, None) else hook


def hooks_of(rule: type[CSTTransformer], ignore: tuple[type, ...]) -> Hooks:
    """The hooks `rule` overrides, found among its classes' own attributes (below libcst's
    classes, whose thousands of no-op hooks `dir()` would list)."""
    kinds = {kind.__name__: kind for kind in _BITS}
    visit: dict[type[CSTNode], Hook] = {}
    leave: dict[type[CSTNode], Hook] = {}
    by_attribute = False
    seen: set[str] = set()
    for owner in rule.__mro__:
        if owner in _TRANSFORMER_CLASSES:
            continue
        for name in vars(owner):
            if name in seen or not name.startswith(("visit_", "leave_")):
                continue
            seen.add(name)
            hook = _overridden(rule, name)
            if hook is None:
                continue
            if name.count("_") >= 2:
                by_attribute = True  # `visit_Call_func`...
            prefix, _, kind_name = name.partition("_")
            kind = kinds.get(kind_name)
            if kind is not None:
                (visit if prefix == "visit" else leave)[kind] = hook
    return Hooks(visit, leave, by_attribute, handled_kinds(rule, ignore))
