"""The engine's faster passes do what libcst's own do: same hooks in the same order, same output."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from codemods.engine.context import ModuleContext
from codemods.engine.imports import import_from
from codemods.engine.kinds import KindIndex, kind_bit, name_bits
from codemods.engine.plain import plain_hooks
from codemods.engine.rule import Rule
from codemods.engine.runner import is_test_module, transform_source
from codemods.engine.traverse import _source_of, transform_module, visit
from codemods.engine.walk import walk
from codemods.flask.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = '''
"""Doc."""
import os
from a.b import (c, d as e)

@decorate(1, key=f"{x!r:>{width}}")
async def view(a, /, b: int = 2, *args, c, **kw) -> dict[str, int]:
    pass
    x = [i for i in range(3) if i] + {k: v for k, v in kw.items()}
    if a and not b or c is None:
        return {"a": a, **kw}
    elif a:
        del x[0]
    else:
        raise ValueError("no") from None
    try:
        async with open(a) as f, g():
            y = lambda q, *, r=1: q @ r
    except* OSError as error:
        pass
    finally:
        a += 1
    match a:
        case [1, *rest] | {"k": _, **more} if rest:
            pass
        case Point(x=0):
            pass
    while a: a -= 1; continue
    return (yield from b)

class C(Base, metaclass=Meta):
    x: int = 1
    def f(self): return self.x[1:2, ::3]
'''


class Recorder(cst.CSTTransformer):
    """Logs every hook; renames `a`, drops `pass` lines, splits `a += 1` in two."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, str, str]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.log.append(("visit", type(node).__name__, ""))
        return True

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.log.append(("attribute", type(node).__name__, attribute))

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        self.log.append(("leave", type(original_node).__name__, ""))
        if isinstance(updated_node, cst.Name) and updated_node.value == "a":
            return updated_node.with_changes(value="renamed")
        if isinstance(updated_node, cst.SimpleStatementLine):
            if isinstance(updated_node.body[0], cst.Pass):
                return cst.RemoveFromParent()
            if isinstance(updated_node.body[0], cst.AugAssign):
                return cst.FlattenSentinel([updated_node, updated_node])
        return updated_node


def test_transform_calls_the_hooks_libcst_calls_in_the_same_order() -> None:
    module = cst.parse_module(SAMPLE)
    by_libcst, by_engine = Recorder(), Recorder()
    module.visit(by_libcst)
    transform_module(module, by_engine)
    assert by_engine.log == by_libcst.log


def test_transform_gives_the_code_libcst_gives() -> None:
    module = cst.parse_module(SAMPLE)
    assert transform_module(module, Recorder()).code == module.visit(Recorder()).code


def test_transform_keeps_the_nodes_it_did_not_change() -> None:
    module = cst.parse_module(SAMPLE)
    result = transform_module(module, Recorder())
    assert result is not module
    assert result.body[0] is module.body[0]  # the docstring has no `a`, no `pass`
    assert result.body[-1] is module.body[-1]  # nor has the class


class CallsOnly(Rule):
    name = "calls-only"

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        return updated_node


def test_the_traversal_reads_each_node_type_s_method_as_inspect_does() -> None:
    def subclasses(kind: type) -> list[type]:
        return [k for sub in kind.__subclasses__() for k in (sub, *subclasses(sub))]

    for kind in {k for k in subclasses(cst.CSTNode) if k.__module__.startswith("libcst.")}:
        method = kind._visit_and_replace_children
        assert _source_of(method) == textwrap.dedent(inspect.getsource(method)), kind


def test_a_rule_is_not_called_for_subtrees_without_its_node_types() -> None:
    module = cst.parse_module("import os\n\nclass C:\n    x = 1\n\ndef f():\n    return g()\n")
    rule = CallsOnly(ModuleContext())
    seen: set[str] = set()
    on_visit = rule.on_visit

    def recording(node: cst.CSTNode) -> bool:
        seen.add(type(node).__name__)
        return on_visit(node)

    rule.on_visit = recording  # type: ignore[method-assign]
    rule.transform_module_impl(module)
    assert {"Call", "FunctionDef"} <= seen
    assert not {"Import", "ClassDef", "Integer"} & seen


def test_node_type_masks_cover_the_whole_subtree() -> None:
    module = cst.parse_module("def f():\n    return g(1)\n")
    mask = KindIndex().mask(module)
    assert mask & kind_bit(cst.Integer)
    assert not mask & kind_bit(cst.ClassDef)


def test_node_masks_hold_the_names_the_subtree_spells() -> None:
    module = cst.parse_module("def f():\n    return g.cart(key=1)\n")
    mask = KindIndex().mask(module)
    for name in ("f", "g", "cart", "key"):
        assert mask & name_bits([name])


@pytest.mark.parametrize("seed", ["0", "9", "4242"])
def test_name_bits_are_the_same_under_every_hash_seed(seed: str) -> None:
    names = ["jsonify", "request", "a", "b", "c", "d", "session"]
    probe = f"from codemods.engine.kinds import name_bits; print([name_bits([n]) for n in {names}])"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str([name_bits([n]) for n in names])


class JsonifyCalls(Rule):
    name = "jsonify-calls"
    gated = (cst.Call,)
    gate_names = ("jsonify",)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.calls: list[str] = []
        self.functions: list[str] = []

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        self.calls.append(cst.Module(body=[]).code_for_node(original_node))
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions.append(original_node.name.value)
        return updated_node


def test_a_gated_rule_skips_the_expressions_spelling_none_of_its_names() -> None:
    module = cst.parse_module("def f():\n    a(b)\n    return jsonify(c(d))\n\ndef g():\n    h()\n")
    assert not name_bits("abcd") & name_bits(["jsonify"])  # else `a(b)` would rightly be visited
    rule = JsonifyCalls(ModuleContext())
    rule.transform_module_impl(module)
    assert rule.calls == ["jsonify(c(d))"]  # `c(d)`, inside it, spells no gate name either
    assert rule.functions == ["f", "g"]  # FunctionDef is not gated


class ImportedCalls(JsonifyCalls):
    name = "imported-calls"
    gate_names = ()

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        assert not isinstance(node.names, cst.ImportStar)
        for alias in node.names:
            local = alias.asname.name if alias.asname else alias.name
            assert isinstance(local, cst.Name)
            self.open_gate(local.value)


def test_open_gate_adds_names_found_while_the_rule_runs() -> None:
    module = cst.parse_module(
        "from flask import abort as stop\n\ndef f():\n    stop(404)\n    other()\n"
    )
    rule = ImportedCalls(ModuleContext())
    rule.transform_module_impl(module)
    assert rule.calls == ["stop(404)"]


class RenameCalls(cst.CSTTransformer):
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        return updated_node.with_changes(func=cst.Name("renamed"))


def test_an_inner_transformer_gives_what_libcst_gives_skipping_what_it_has_no_hook_for() -> None:
    module = cst.parse_module(SAMPLE)
    hooks = plain_hooks(RenameCalls)
    assert hooks is not None and hooks.handled == kind_bit(cst.Call) and not hooks.attributes
    result = visit(module, RenameCalls(), KindIndex())
    assert isinstance(result, cst.Module)
    assert result.code == module.visit(RenameCalls()).code
    assert result.body[1] is module.body[1]  # `import os`: no call, not entered


def test_an_inner_transformer_with_its_own_on_visit_is_left_to_libcst_dispatch() -> None:
    assert plain_hooks(Recorder) is None


class Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)


def test_walk_calls_the_hooks_a_visit_calls() -> None:
    module = cst.parse_module(SAMPLE)
    by_libcst, by_walk, by_pruned_walk = Names(), Names(), Names()
    module.visit(by_libcst)
    walk(module, by_walk)
    walk(module, by_pruned_walk, KindIndex())
    assert sorted(by_walk.names) == sorted(by_pruned_walk.names) == sorted(by_libcst.names)


@pytest.mark.parametrize(
    "module, names",
    [
        ("fastapi", [("FastAPI", None)]),
        ("a.b.c", [("x", None), ("y", "z")]),
        (".", [("models", None)]),
        ("..pkg", [("Thing", "T")]),
    ],
)
def test_built_imports_read_like_parsed_ones(
    module: str, names: list[tuple[str, str | None]]
) -> None:
    text = ", ".join(n + (f" as {a}" if a else "") for n, a in names)
    parsed = cst.parse_statement(f"from {module} import {text}")
    empty = cst.Module(body=[])
    assert empty.code_for_node(import_from(module, names)) == empty.code_for_node(parsed)


@pytest.mark.parametrize(
    "folder", [ROOT / "legacy_examples" / "flask_shop", ROOT / "tests/codemods/cases/mini_shop"]
)
def test_the_flask_rules_convert_the_example_apps_as_plain_libcst_passes_do(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [
        p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.py"))
        if not is_test_module(p.relative_to(folder))
    ]
    fast = [transform_source(text, REGISTRY.rules)[0] for text in sources]
    monkeypatch.setattr(Rule, "transform_module_impl", lambda self, tree: tree.visit(self))
    monkeypatch.setattr(Rule, "skips", lambda self, node: False)
    plain = [transform_source(text, REGISTRY.rules)[0] for text in sources]
    assert fast == plain
