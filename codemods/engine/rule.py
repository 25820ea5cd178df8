"""A rule is one libcst transformer over a module, with a name, its context and a few helpers.

Rules run one after the other on a module, each on the previous one's output, like libcst's own
codemod commands and bump-pydantic's transforms. Anything a rule cannot convert it leaves in place
with a `# TODO(strangler): reason` comment and a note in the module's findings. What rules share
is the module's typed state (`self.state`, `codemods/engine/state.py`); what a rule reads from
another one it declares in `requires`/`uses`, by rule name.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import ClassVar

import libcst as cst

from codemods.engine.comments import with_todo_comments
from codemods.engine.context import ModuleContext, add_import
from codemods.engine.findings import FindingLog, Status
from codemods.engine.kinds import (
    Hooks,
    KindIndex,
    Wanted,
    hooks_of,
    kind_bit,
    name_bit,
    name_bits,
)
from codemods.engine.nodes import binds_name, uses_name
from codemods.engine.state import F, ModuleState, state_of
from codemods.engine.traverse import Result, transform_module, visit
from codemods.engine.walk import walk

KINDS_KEY = "strangler.kinds"
STATEMENT_TYPES = frozenset(
    [cst.SimpleStatementLine]
    + [
        kind
        for kind in vars(cst).values()
        if isinstance(kind, type)
        and cst.BaseCompoundStatement in kind.__mro__  # not issubclass: see kinds.is_node_class
        and not getattr(kind, "__abstractmethods__", None)
    ]
)


class Rule(cst.CSTTransformer):
    """Base of every rule: statement-level TODO comments and the enclosing function's name."""

    name: ClassVar[str] = ""
    DESCRIPTION: str = ""
    # Names of the rules that must have run on the module before this one (it reads what they
    # write): the registry checks they come earlier, and selecting this rule selects them too.
    requires: ClassVar[tuple[str, ...]] = ()
    # Names of the rules whose records this one reads when they ran, but can do without: not
    # selected with it; the registry checks they come earlier.
    uses: ClassVar[tuple[str, ...]] = ()
    # The rule is skipped for a module whose source contains none of these strings.
    triggers: ClassVar[tuple[str, ...]] = ()
    # The rule only changes route handlers: skipped for a module where none was found.
    needs_handlers: ClassVar[bool] = False
    # The node types whose hooks act only on a subtree spelling one of `gate_names` (as a `Name`:
    # an identifier, an attribute's name, a keyword): the subtrees spelling none are skipped as if
    # the rule had no hook for these types. Names found while the rule runs: `open_gate`.
    gated: ClassVar[tuple[type[cst.CSTNode], ...]] = ()
    gate_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, context: ModuleContext) -> None:
        cst.CSTTransformer.__init__(self)
        self.context = context  # shared by the module's rules: its scratch holds their state
        self.state: ModuleState = state_of(context)
        self._todo_stack: list[list[str]] = []
        self._functions: list[str] = []
        self._classes: list[str] = []
        self._hooks = _hooks(type(self))
        self._edits = 0  # hook results that differ from the node they were given
        self._edits_at_visit: list[int] = []
        kinds = context.scratch.get(KINDS_KEY)
        if not isinstance(kinds, KindIndex):
            kinds = context.scratch[KINDS_KEY] = KindIndex()
        self._kinds = kinds
        handled = self._hooks.handled
        self._wanted = Wanted(0 if handled is None else handled)
        if handled is not None and self.gated:
            self._wanted.mask &= ~sum(kind_bit(kind) for kind in set(self.gated))
            self.open_gate(*self.gate_names)
        # What `skips` answers, as a closure the traversal calls for nearly every node.
        self.skip_test: Callable[[cst.CSTNode], bool] = (
            _never if handled is None else kinds.without(self._wanted)
        )

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        """Whether the rule runs on a module: by default when its source spells a trigger (a
        rule may also look at what the analysis of the whole tree found for the module)."""
        return not cls.triggers or any(t in source for t in cls.triggers)

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """The module as this rule leaves it (the imports it asked for not yet applied)."""
        return self.transform_module_impl(tree)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        return transform_module(tree, self)  # tree.visit(self), without rebuilding what is kept

    # -- shared state --------------------------------------------------------------------------
    @property
    def findings(self) -> FindingLog:
        return FindingLog.of(self.context)

    @property
    def handlers(self) -> dict[str, str]:
        """Route handler function name -> the router variable it is registered on."""
        return self.state.handlers

    def declares_handlers(self, function: cst.FunctionDef) -> bool:
        """Whether route handlers are defined directly in `function`'s body (a blueprint made by
        a function, an app factory with its views)."""
        body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
        return any(isinstance(s, cst.FunctionDef) and s.name.value in self.handlers for s in body)

    def own(self, kind: type[F]) -> F:
        """The module's `kind` record, to write: only its owner may."""
        if kind.owner != self.name:
            raise TypeError(f"{kind.__name__} is written by rule {kind.owner!r}, not {self.name!r}")
        return self.state.record(kind)

    def read(self, kind: type[F]) -> F:
        """The module's `kind` record as its owner left it (its defaults if it did not run)."""
        return self.state.record(kind)

    @property
    def current_function(self) -> str | None:
        return self._functions[-1] if self._functions else None

    @property
    def current_symbol(self) -> str | None:
        if self._classes and self._functions:
            return f"{self._classes[-1]}.{self._functions[-1]}"
        return self.current_function or (self._classes[-1] if self._classes else None)

    def use(self, module: str, name: str) -> None:
        """Have `from module import name` added to the generated module."""
        add_import(self.context, module, name)

    def open_gate(self, *names: str) -> None:
        """Have the `gated` hooks run on the subtrees spelling these names too from now on."""
        if self.gated and self._hooks.handled is not None:
            self._wanted.mask |= name_bits(names)

    def walk(self, node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
        """`node.visit(visitor)` for a read-only visitor whose hooks do not depend on the order of
        sibling nodes, without rebuilding the tree and skipping subtrees it has no hooks for."""
        walk(node, visitor, self._kinds)

    def lacking(self, types: Iterable[type[cst.CSTNode]]) -> Callable[[cst.CSTNode], bool]:
        """A skip test (`skip_test`) for an inner transformer that changes only nodes of `types`:
        whether a subtree holds none of them, from the module's masks."""
        return self._kinds.without(Wanted(sum(kind_bit(kind) for kind in set(types))))

    def may_spell(self, node: cst.CSTNode, *names: str) -> bool:
        """Whether the subtree may spell one of `names` (as a `Name`: an identifier, an
        attribute's name, a keyword); False: it surely does not, answered from the module's
        masks."""
        return bool(self._kinds.mask(node) & name_bits(names))

    def uses_name(self, node: cst.CSTNode, name: str) -> bool:
        """`codemods.engine.nodes.uses_name`, answered at once for a subtree not spelling `name`."""
        return bool(self._kinds.mask(node) & name_bit(name)) and uses_name(node, name)

    def binds_name(self, function: cst.FunctionDef, name: str) -> bool:
        """`codemods.engine.nodes.binds_name`, answered at once for a function not spelling
        `name`."""
        return bool(self._kinds.mask(function) & name_bit(name)) and binds_name(function, name)

    def rewrite(self, node: cst.CSTNode, transformer: cst.CSTTransformer) -> Result:
        """`node.visit(transformer)` for an inner transformer, skipping the subtrees holding no
        node type it has a hook for."""
        return visit(node, transformer, self._kinds)

    def todo(self, reason: str, status: Status = Status.partial) -> None:
        """Mark the statement being visited with a TODO comment and note it in the findings."""
        if self._todo_stack and reason not in self._todo_stack[-1]:
            self._todo_stack[-1].append(reason)
        self.findings.note(self.current_function, reason, status)

    # -- traversal hooks -----------------------------------------------------------------------
    # These run for every node of every rule: hooks are found in per-class tables rather than by
    # name; a subtree holding no node type the rule has a hook for is not descended into (libcst
    # would rebuild it unchanged); and a subtree no hook changed is handed back as the very same
    # object, so the next rule finds its node-type masks already computed.
    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        self._edits_at_visit.append(self._edits)
        if kind in STATEMENT_TYPES:
            self._todo_stack.append([])
            if kind is cst.FunctionDef:
                self._functions.append(node.name.value)  # type: ignore[attr-defined]
            elif kind is cst.ClassDef:
                self._classes.append(node.name.value)  # type: ignore[attr-defined]
        # No skip test here: the traversal tests each child before visiting it.
        visit = self._hooks.visit.get(kind)
        return visit is None or visit(self, node) is not False

    def skips(self, node: cst.CSTNode) -> bool:
        """Whether the subtree holds no node type this rule has a hook for (nothing to do)."""
        return self.skip_test(node)

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        result: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]
        kind = type(original_node)
        leave = self._hooks.leave.get(kind)
        if leave is None:
            result = updated_node
        else:
            result = leave(self, original_node, updated_node)  # type: ignore[assignment]
            if result is not updated_node:
                self._edits += 1
        if kind in STATEMENT_TYPES:
            if kind is cst.FunctionDef:
                self._functions.pop()
            elif kind is cst.ClassDef:
                self._classes.pop()
            reasons = self._todo_stack.pop()
            if reasons:
                result = with_todo_comments(result, reasons)
                self._edits += 1
        if self._edits_at_visit.pop() == self._edits:
            return original_node  # equal to the copy libcst rebuilt
        return result

    @property
    def wants_attribute_hooks(self) -> bool:
        kind = type(self)
        return (
            self._hooks.by_attribute
            or kind.on_visit_attribute is not Rule.on_visit_attribute
            or kind.on_leave_attribute is not Rule.on_leave_attribute
        )

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if self._hooks.by_attribute:
            super().on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if self._hooks.by_attribute:
            super().on_leave_attribute(original_node, attribute)


def _never(node: cst.CSTNode) -> bool:
    return False


_HOOKS: weakref.WeakKeyDictionary[type[Rule], Hooks] = weakref.WeakKeyDictionary()


def _hooks(rule: type[Rule]) -> Hooks:
    found = _HOOKS.get(rule)
    if found is None:
        found = _HOOKS[rule] = hooks_of(rule, ignore=(Rule, ModuleLevelRule, ClassLevelRule))
    return found


class ModuleLevelRule(Rule):
    """A rule that reads module- and class-level statements only: function bodies, decorators
    and parameter lists are not descended into (the traversal is pruned, which is also faster)."""

    def visit_If(self, node: cst.If) -> bool:
        return not self._functions

    def visit_For(self, node: cst.For) -> bool:
        return not self._functions

    def visit_While(self, node: cst.While) -> bool:
        return not self._functions

    def visit_With(self, node: cst.With) -> bool:
        return not self._functions

    def visit_Try(self, node: cst.Try) -> bool:
        return not self._functions

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        return False

    def visit_Parameters(self, node: cst.Parameters) -> bool:
        return False


class ClassLevelRule(Rule):
    """A rule that converts whole classes: it reads a class body in `leave_ClassDef` itself, so
    the traversal does not descend into classes, functions or simple statements."""

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False
