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
import inspect
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

Result = CSTNode | RemovalSentinel | FlattenSentinel[CSTNode]
Plan = tuple[tuple[str, str], ...]  # (field, how) in the order libcst visits them
_PLANS: dict[type[CSTNode], Plan | None] = {}
_HOW = {"visit_required", "visit_optional", "visit_sentinel", "visit_sequence"}
_HOW_BODY = "visit_body_sequence"


def plan_of(kind: type[CSTNode]) -> Plan | None:
    if kind not in _PLANS:
        _PLANS[kind] = _read_plan(kind)
    return _PLANS[kind]


def _read_plan(kind: type[CSTNode]) -> Plan | None:
    """The children libcst's `_visit_and_replace_children` visits, or None when it does more
    than `return Kind(field=visit_how(self, "field", self.field, visitor), other=self.other)`."""
    try:
        source = textwrap.dedent(inspect.getsource(kind._visit_and_replace_children))
        function = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError):
        return None
    assert isinstance(function, ast.FunctionDef)
    body = [s for s in function.body if not _is_docstring(s)]
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
        if _is_self_field(value, field):
            continue
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in _HOW | {_HOW_BODY}
            and len(value.args) == 4
            and isinstance(value.args[1], ast.Constant)
            and value.args[1].value == field
            and _is_self_field(value.args[2], field)
        ):
            return None
        assert field is not None
        plan.append((field, value.func.id))
    return tuple(plan)


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _is_self_field(value: ast.expr, field: str | None) -> bool:
    return (
        isinstance(value, ast.Attribute)
        and value.attr == field
        and isinstance(value.value, ast.Name)
        and value.value.id == "self"
    )


def transform_module(module: Module, visitor: CSTTransformer) -> Module:
    """`module.visit(visitor)`. A visitor with a `skips(node) -> bool` method (or a faster
    `skip_test` attribute answering the same) is not called at all for the subtrees it skips (it
    must be one whose hooks would leave them unchanged)."""
    result = Traversal(visitor).transform(module)
    if isinstance(result, RemovalSentinel):
        return module.with_changes(body=(), header=(), footer=())
    assert isinstance(result, Module)
    return result


def visit(node: CSTNode, visitor: CSTTransformer) -> Result:
    """`node.visit(visitor)` for a transformer, without rebuilding the nodes it keeps."""
    if isinstance(node, Module):
        return transform_module(node, visitor)
    return Traversal(visitor).transform(node)


def _never(node: CSTNode) -> bool:
    return False


class Traversal:
    def __init__(self, visitor: CSTTransformer) -> None:
        self.visitor = visitor
        self.skips: Callable[[CSTNode], bool] = getattr(visitor, "skips", _never)
        self.skips = getattr(visitor, "skip_test", self.skips)
        # A visitor may say it has no `visit_X_attr`-style hooks: they are not called then.
        self.attributes: bool = getattr(visitor, "wants_attribute_hooks", True)
        self.visit: dict[str, Callable[..., object]] = {
            "visit_required": self._required,
            "visit_optional": self._optional,
            "visit_sentinel": self._sentinel,
            "visit_sequence": self._sequence,
            "visit_body_sequence": self._body,
        }

    def transform(self, node: CSTNode) -> Result:
        """`node.visit(visitor)`, keeping the nodes that did not change."""
        visitor = self.visitor
        updated = node
        if visitor.on_visit(node):
            plan = plan_of(type(node))
            if plan is None:
                updated = node._visit_and_replace_children(visitor)
            elif plan:
                updated = self._children(node, plan)
        result = visitor.on_leave(node, updated)
        if not isinstance(result, CSTNode | RemovalSentinel | FlattenSentinel):
            raise CSTValidationError(
                "Expected a node of type CSTNode or a RemovalSentinel, "
                + f"but got a return value of {type(result).__name__}"
            )
        return result

    def _children(self, node: CSTNode, plan: Plan) -> CSTNode:
        changes: dict[str, object] = {}
        visitor = self.visitor
        attributes = self.attributes
        for field, how in plan:
            old = getattr(node, field)
            if attributes:
                visitor.on_visit_attribute(node, field)
            new = self.visit[how](old)
            if attributes:
                visitor.on_leave_attribute(node, field)
            if new is not old:
                changes[field] = new
        return node.with_changes(**changes) if changes else node

    def _required(self, child: CSTNode) -> CSTNode:
        if self.skips(child):
            return child
        result = self.transform(child)
        if isinstance(result, RemovalSentinel):
            raise TypeError(
                f"We got a RemovalSentinel while visiting a {type(child).__name__}. This "
                + "node's parent does not allow it to be removed."
            )
        return _not_flattened(result, child)

    def _optional(self, child: CSTNode | None) -> CSTNode | None:
        if child is None or self.skips(child):
            return child
        result = _not_flattened(self.transform(child), child)
        return None if isinstance(result, RemovalSentinel) else result

    def _sentinel(self, child: CSTNode | MaybeSentinel) -> CSTNode | MaybeSentinel:
        if isinstance(child, MaybeSentinel):
            return MaybeSentinel.DEFAULT
        if self.skips(child):
            return child
        result = _not_flattened(self.transform(child), child)
        return MaybeSentinel.DEFAULT if isinstance(result, RemovalSentinel) else result

    def _sequence(self, children: Sequence[CSTNode]) -> Sequence[CSTNode]:
        out: list[CSTNode] = []
        same = True
        for child in children:
            result = child if self.skips(child) else self.transform(child)
            if result is child:
                out.append(child)
                continue
            same = False
            if isinstance(result, FlattenSentinel):
                out.extend(result)
            elif not isinstance(result, RemovalSentinel):
                out.append(result)
        return children if same else tuple(out)

    def _body(self, children: Sequence[CSTNode]) -> Sequence[CSTNode]:
        """Like `_sequence`, but a statement that was not empty is dropped once it is empty."""
        out: list[CSTNode] = []
        same = True
        for child in children:
            result = child if self.skips(child) else self.transform(child)
            if result is child:
                out.append(child)
                continue
            same = False
            if isinstance(result, RemovalSentinel):
                continue
            removable = child._is_removable()
            for new in result if isinstance(result, FlattenSentinel) else [result]:
                if not removable and new._is_removable():
                    continue
                out.append(new)
        return children if same else tuple(out)


def _not_flattened(result: Result, child: CSTNode) -> CSTNode:
    if isinstance(result, FlattenSentinel):
        raise TypeError(
            f"We got a FlattenSentinel while visiting a {type(child).__name__}. This "
            + "node's parent does not allow for it to be it to be replaced with a "
            + "sequence."
        )
    return result  # type: ignore[return-value]
