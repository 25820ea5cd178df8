"""A transformer pass that rebuilds only what changed.

libcst's `node.visit(transformer)` constructs (and validates) a new copy of every node it
descends into, changed or not. `transform` calls the transformer's hooks in exactly the same
order, with the same removal and flattening rules, but keeps every node whose children all come
back as the same objects, and applies `with_changes` to the others.

The order of the children and how each is visited (required, optional, sentinel, sequence, body)
are read once per node type from the libcst method that does it (`_visit_and_replace_children`);
a node type whose method is not the plain pattern is visited by libcst itself.
"""

from __future__ import annotations

import ast
import linecache
import textwrap
from collections.abc import Callable, Sequence

from libcst import (
    CSTNode,
    CSTTransformer,
    CSTValidationError,
    FlattenSentinel,
    MaybeSentinel,
    Module,
    RemovalSentinel,
)

from codemods.engine.kinds import KindIndex, Wanted
from codemods.engine.plain import dispatch, own_leave_hooks, plain_hooks

Result = CSTNode | RemovalSentinel | FlattenSentinel[CSTNode]
Plan = tuple[tuple[str, str], ...]  # (field, how) in the order libcst visits them
_HOW = {"visit_required", "visit_optional", "visit_sentinel", "visit_sequence"}
_HOW_BODY = "visit_body_sequence"
# `visit_required(...) if isinstance(names, ImportStar) else visit_sequence(...)`, or
# `visit_sequence(...) if format_spec is not None else None`: chosen by the child's type.
_HOW_EITHER = "visit_either"
_EITHER_BRANCHES = {"visit_required", "visit_sequence", None}
_DEFAULT = MaybeSentinel.DEFAULT  # the Enum's only member
_REMOVE = RemovalSentinel.REMOVE  # the Enum's only member
_PLANS: dict[type[CSTNode], tuple[tuple[str, Callable[..., object]], ...] | None] = {}


def plan_of(kind: type[CSTNode]) -> tuple[tuple[str, Callable[..., object]], ...] | None:
    """(field, how to visit it) for each child libcst visits, in its order; None when the
    traversal must leave the node to libcst."""
    if kind not in _PLANS:
        plan = _read_plan(kind)
        _PLANS[kind] = None if plan is None else tuple((f, _VISITS[how]) for f, how in plan)
    return _PLANS[kind]


def _read_plan(kind: type[CSTNode]) -> Plan | None:
    """The children libcst's `_visit_and_replace_children` visits, or None when it does more
    than `return Kind(field=visit_how(self, "field", self.field, visitor), other=self.other)`
    (after `field = self.field` lines, and perhaps through `ret = Kind(...); return ret`)."""
    try:
        function = ast.parse(_source_of(kind._visit_and_replace_children)).body[0]
    except (AttributeError, IndexError, TypeError, SyntaxError):
        return None
    if not isinstance(function, ast.FunctionDef):
        return None
    body = [s for s in function.body if not _is_docstring(s)]
    locals_: set[str] = set()
    while body and _is_field_copy(body[0]):
        target = body.pop(0).targets[0]  # type: ignore[attr-defined]
        locals_.add(target.id)
    if (
        len(body) == 2
        and isinstance(body[0], ast.Assign)
        and len(body[0].targets) == 1
        and isinstance(body[0].targets[0], ast.Name)
        and isinstance(body[1], ast.Return)
        and isinstance(body[1].value, ast.Name)
        and body[1].value.id == body[0].targets[0].id
    ):
        body = [ast.Return(value=body[0].value)]
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    returned = body[0].value
    if isinstance(returned, ast.Name) and returned.id == "self":
        return ()
    if not isinstance(returned, ast.Call) or returned.args:
        return None
    plan: list[tuple[str, str]] = []
    for argument in returned.keywords:
        field, value = argument.arg, argument.value
        if field is None:
            return None
        if _is_self_field(value, field):
            continue
        how = _how(value, field, locals_)
        if isinstance(value, ast.IfExp):
            branches = {_how(value.body, field, locals_), _how(value.orelse, field, locals_)}
            how = _HOW_EITHER if len(branches) == 2 and branches <= _EITHER_BRANCHES else None
        if how is None:
            return None
        plan.append((field, how))
    return tuple(plan)


def _source_of(method: Callable[..., object]) -> str:
    """A method's source, dedented: its lines from its `def` to the last one before a line
    indented no deeper (`inspect.getsource` tokenizes them to find the end: slower, and the
    traversal reads the method of each node type it meets, once per process). A block cut short
    does not parse, or does not end with the `return` a plan needs."""
    code = method.__code__
    lines = linecache.getlines(code.co_filename)
    start = code.co_firstlineno - 1
    if start >= len(lines):
        return ""
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start
    while end < len(lines) and lines[end].lstrip().startswith("@"):
        end += 1  # decorators: the first line number is theirs
    end = last = end + 1
    while end < len(lines):
        line = lines[end]
        text = line.lstrip()
        end += 1
        if not text or text.startswith("#"):
            continue
        if len(line) - len(text) <= indent and not text.startswith((")", "]", "}")):
            break  # `) -> Kind:` closes the signature; anything else ends the method
        last = end
    return textwrap.dedent("".join(lines[start:last]))


def _how(value: ast.expr, field: str, locals_: set[str]) -> str | None:
    """`visit_x` for `visit_x(self, "field", self.field, visitor)`; None for anything else."""
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in _HOW | {_HOW_BODY}
        and len(value.args) == 4
        and isinstance(value.args[1], ast.Constant)
        and value.args[1].value == field
    ):
        return None
    child = value.args[2]
    local = isinstance(child, ast.Name) and child.id == field and field in locals_
    return value.func.id if local or _is_self_field(child, field) else None


def _is_field_copy(statement: ast.stmt) -> bool:
    """`field = self.field`"""
    return (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and _is_self_field(statement.value, statement.targets[0].id)
    )


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _is_self_field(value: ast.expr, field: str | None) -> bool:
    return (
        isinstance(value, ast.Attribute)
        and value.attr == field
        and isinstance(value.value, ast.Name)
        and value.value.id == "self"
    )


def transform_module(
    module: Module, visitor: CSTTransformer, kinds: KindIndex | None = None
) -> Module:
    """`module.visit(visitor)`. A visitor with a `skips(node) -> bool` method (or a faster
    `skip_test` attribute answering the same) is not called at all for the subtrees it skips (it
    must be one whose hooks would leave them unchanged). Given the module's `kinds`, a plain
    transformer skips the subtrees holding no node type it has a hook for."""
    result = Traversal(visitor, kinds).transform(module)
    if isinstance(result, RemovalSentinel):
        return module.with_changes(body=(), header=(), footer=())
    assert isinstance(result, Module)
    return result


def visit(node: CSTNode, visitor: CSTTransformer, kinds: KindIndex | None = None) -> Result:
    """`node.visit(visitor)` for a transformer, without rebuilding the nodes it keeps."""
    if isinstance(node, Module):
        return transform_module(node, visitor, kinds)
    return Traversal(visitor, kinds).transform(node)


def _never(node: CSTNode) -> bool:
    return False


class Traversal:
    # Identity tests stand for `isinstance` where they can: isinstance on the Enum sentinels and
    # on libcst's ABCs costs more than the rest of a visit of an unchanged node.
    def __init__(self, visitor: CSTTransformer, kinds: KindIndex | None = None) -> None:
        self.visitor = visitor
        self.skips: Callable[[CSTNode], bool] = getattr(visitor, "skips", _never)
        self.skips = getattr(visitor, "skip_test", self.skips)
        # A visitor may say it has no `visit_X_attr`-style hooks: they are not called then.
        self.attributes: bool = getattr(visitor, "wants_attribute_hooks", True)
        self.on_visit: Callable[[CSTNode], bool] = visitor.on_visit
        self.on_leave: Callable[[CSTNode, CSTNode], object] = visitor.on_leave
        hooks = None if self.skips is not _never else plain_hooks(type(visitor))
        if hooks is not None:
            self.on_visit, self.on_leave = dispatch(visitor, hooks)
            self.attributes = hooks.attributes
            if kinds is not None:
                self.skips = kinds.without(Wanted(hooks.handled))
        elif (leaving := own_leave_hooks(type(visitor))) is not None:
            # its own `on_leave` may act on any node: only its own skip test skips subtrees
            self.on_visit, self.on_leave = dispatch(visitor, leaving)
            self.attributes = leaving.attributes

    def transform(self, node: CSTNode) -> Result:
        """`node.visit(visitor)`, keeping the nodes that did not change."""
        updated = node
        if self.on_visit(node):
            kind = type(node)
            plan = _PLANS[kind] if kind in _PLANS else plan_of(kind)
            if plan is None:
                updated = node._visit_and_replace_children(self.visitor)
            elif plan:
                updated = self._children(node, plan)
        result = self.on_leave(node, updated)
        if result is updated or result is node:
            return result
        if not isinstance(result, CSTNode | RemovalSentinel | FlattenSentinel):
            raise CSTValidationError(
                "Expected a node of type CSTNode or a RemovalSentinel, "
                + f"but got a return value of {type(result).__name__}"
            )
        return result

    def _children(
        self, node: CSTNode, plan: tuple[tuple[str, Callable[..., object]], ...]
    ) -> CSTNode:
        changes: dict[str, object] = {}
        if self.attributes:
            visitor = self.visitor
            for field, how in plan:
                old = getattr(node, field)
                if old is None and how is _VISIT_EITHER:
                    continue  # libcst's `... if x is not None else None`: no visit, no hooks
                visitor.on_visit_attribute(node, field)
                new = how(self, old)
                visitor.on_leave_attribute(node, field)
                if new is not old:
                    changes[field] = new
        else:
            for field, how in plan:
                old = getattr(node, field)
                new = how(self, old)
                if new is not old:
                    changes[field] = new
        return node.with_changes(**changes) if changes else node

    def _required(self, child: CSTNode) -> CSTNode:
        if self.skips(child):
            return child
        result = self.transform(child)
        if result is child:
            return child
        if result is _REMOVE:
            raise TypeError(
                f"We got a RemovalSentinel while visiting a {type(child).__name__}. This "
                + "node's parent does not allow it to be removed."
            )
        return _not_flattened(result, child)

    def _optional(self, child: CSTNode | None) -> CSTNode | None:
        if child is None or self.skips(child):
            return child
        result = self.transform(child)
        if result is child:
            return child
        result = _not_flattened(result, child)
        return None if result is _REMOVE else result

    def _sentinel(self, child: CSTNode | MaybeSentinel) -> CSTNode | MaybeSentinel:
        if child is _DEFAULT or self.skips(child):
            return child
        result = self.transform(child)
        if result is child:
            return child
        result = _not_flattened(result, child)
        return _DEFAULT if result is _REMOVE else result

    def _sequence(self, children: Sequence[CSTNode]) -> Sequence[CSTNode]:
        out: list[CSTNode] = []
        same = True
        skips, transform = self.skips, self.transform
        for child in children:
            result = child if skips(child) else transform(child)
            if result is child:
                out.append(child)
                continue
            same = False
            if isinstance(result, FlattenSentinel):
                out.extend(result)
            elif result is not _REMOVE:
                out.append(result)
        return children if same else tuple(out)

    def _either(self, child: object) -> object:
        if child is None:
            return None
        if isinstance(child, tuple | list):
            return self._sequence(child)
        return self._required(child)  # type: ignore[arg-type]

    def _body(self, children: Sequence[CSTNode]) -> Sequence[CSTNode]:
        """Like `_sequence`, but a statement that was not empty is dropped once it is empty."""
        out: list[CSTNode] = []
        same = True
        skips, transform = self.skips, self.transform
        for child in children:
            result = child if skips(child) else transform(child)
            if result is child:
                out.append(child)
                continue
            same = False
            if result is _REMOVE:
                continue
            removable = child._is_removable()
            for new in result if isinstance(result, FlattenSentinel) else [result]:
                if not removable and new._is_removable():
                    continue
                out.append(new)
        return children if same else tuple(out)


# How each kind of child field is visited, by the name of libcst's function doing it.
_VISITS: dict[str, Callable[[Traversal, object], object]] = {
    "visit_required": Traversal._required,  # type: ignore[dict-item]
    "visit_optional": Traversal._optional,  # type: ignore[dict-item]
    "visit_sentinel": Traversal._sentinel,  # type: ignore[dict-item]
    "visit_sequence": Traversal._sequence,  # type: ignore[dict-item]
    "visit_body_sequence": Traversal._body,  # type: ignore[dict-item]
    "visit_either": Traversal._either,
}
_VISIT_EITHER = Traversal._either


def _not_flattened(result: Result, child: CSTNode) -> CSTNode:
    if isinstance(result, FlattenSentinel):
        raise TypeError(
            f"We got a FlattenSentinel while visiting a {type(child).__name__}. This "
            + "node's parent does not allow for it to be it to be replaced with a "
            + "sequence."
        )
    return result  # type: ignore[return-value]
