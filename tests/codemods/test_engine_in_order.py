"""`codemods.engine.walk.in_order`: `node.visit(visitor)` for read-only visitors, rebuilding
nothing."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.engine.kinds import KindIndex
from codemods.engine.walk import in_order

ROOT = Path(__file__).resolve().parents[2]
SOURCE = '''
@decorate(first, second)
class Shop(Base, metaclass=Meta):
    """Doc."""

    class Meta:
        ordering = ["name"]

    def total(self, lines, *, tax=None):
        value = sum(line.price * line.quantity for line in lines if line) if lines else 0
        with open(path) as handle, lock:
            print(f"{value!r:>10}", file=handle)
        return [x async for x in items] or {k: v for k, v in pairs}
'''


class Everything(cst.CSTVisitor):
    """Every node, in the order its hooks run."""

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.log.append(("visit", id(node)))
        return not isinstance(node, cst.Lambda)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.log.append(("leave", id(original_node)))


class Hooks(cst.CSTVisitor):
    """Typed hooks only; one prunes the calls with two arguments or more."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def visit_Call(self, node: cst.Call) -> bool:
        self.log.append(f"call {len(node.args)}")
        return len(node.args) < 2

    def visit_Name(self, node: cst.Name) -> None:
        self.log.append(node.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.log.append(f"end {original_node.name.value}")


class ByAttribute(Hooks):
    def visit_Call_func(self, node: cst.Call) -> None:
        self.log.append("func")


def same_log(visitor_type: type[Everything] | type[Hooks], tree: cst.Module) -> bool:
    libcst_visit, in_order_visit = visitor_type(), visitor_type()
    tree.visit(libcst_visit)
    in_order(tree, in_order_visit)
    return libcst_visit.log == in_order_visit.log


def test_on_visit_and_on_leave_see_the_same_nodes_in_libcsts_order() -> None:
    assert same_log(Everything, cst.parse_module(SOURCE))


def test_typed_hooks_run_in_libcsts_order_and_may_prune() -> None:
    visitor = Hooks()
    in_order(cst.parse_module(SOURCE), visitor)
    assert "call 2" in visitor.log and "first" not in visitor.log  # pruned
    assert same_log(Hooks, cst.parse_module(SOURCE))


def test_a_visitor_with_attribute_hooks_gets_them_called() -> None:
    visitor = ByAttribute()
    in_order(cst.parse_module("f(x)\n"), visitor)
    assert visitor.log == ["call 1", "func", "f", "x"]


def test_the_example_apps_are_visited_as_libcst_visits_them() -> None:
    for path in sorted((ROOT / "legacy_examples").rglob("*.py")):
        tree = cst.parse_module(path.read_text(encoding="utf-8"))
        assert same_log(Everything, tree), path
        assert same_log(Hooks, tree), path


def test_nothing_is_rebuilt() -> None:
    tree = cst.parse_module(SOURCE)
    seen: list[cst.CSTNode] = []

    class Keep(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            seen.append(node)
            return True

    in_order(tree, Keep())
    assert seen[0] is tree
    assert any(node is tree.body[0] for node in seen)


def test_given_the_trees_masks_it_passes_by_subtrees_without_hooked_nodes() -> None:
    tree = cst.parse_module(SOURCE)
    kinds = KindIndex()
    for visitor_type in (Hooks, Hooks):  # the second visit reads the masks the first computed
        libcst_visit, skipping = visitor_type(), visitor_type()
        tree.visit(libcst_visit)
        in_order(tree, skipping, kinds)
        assert skipping.log == libcst_visit.log


def test_the_nodes_it_is_told_to_pass_by_get_no_hook_nor_do_their_subtrees() -> None:
    tree = cst.parse_module("f(a, b)\ng(c)\n")
    first_call = next(n for n in walked(tree) if isinstance(n, cst.Call))
    for kinds in (None, KindIndex()):
        visitor = Hooks()
        in_order(tree, visitor, kinds, passed={first_call})
        assert visitor.log == ["call 1", "g", "c"]


def walked(tree: cst.Module) -> list[cst.CSTNode]:
    seen: list[cst.CSTNode] = []

    class Keep(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            seen.append(node)
            return True

    in_order(tree, Keep())
    return seen
