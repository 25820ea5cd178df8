"""Work the engine does once and shares: parses, per-module facts, statement walks, and the
skip tests that let a pass leave subtrees alone. Each must answer as the plain way does."""

from __future__ import annotations

import ast

import libcst as cst

from codemods.engine.ast_names import calls_in, statements
from codemods.engine.findings import definition_line
from codemods.engine.parsed import (
    ParsedModules,
    code_of,
    parse_ast_shared,
    parse_legacy,
    parse_shared,
    run_trees,
    shared_for_run,
)
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from codemods.engine.traverse import visit
from codemods.engine.walk import walk

SOURCE = """\
import os

try:
    from a import b
except ImportError:
    from c import b as d


def f(x):
    import json

    class K:
        y = [lambda: (z := 1)]

    return g(x, os.path.join(x), json.dumps(x))
"""


def test_a_parsed_module_is_parsed_once_per_text() -> None:
    parsed = ParsedModules()
    assert parsed.parse(SOURCE) is parsed.parse(SOURCE)
    assert parsed.parse(SOURCE).code == SOURCE


def test_a_tree_of_the_run_gives_back_its_text_as_its_code() -> None:
    with shared_for_run():
        tree = parse_shared(SOURCE)
        assert code_of(tree) is SOURCE
        changed = tree.with_changes(body=tree.body[1:])
        assert code_of(changed) == changed.code != SOURCE
    assert code_of(tree) == SOURCE  # outside the run: rendered


def test_parse_legacy_uses_the_analysis_cache_when_it_has_one() -> None:
    class Analysis:
        parsed = ParsedModules()

    analysis = Analysis()
    assert parse_legacy(SOURCE, analysis) is analysis.parsed.parse(SOURCE)
    assert parse_legacy(SOURCE, None) is not parse_legacy(SOURCE, None)


def test_the_runner_converts_a_module_from_the_tree_the_analysis_parsed() -> None:
    class Analysis:
        parsed = ParsedModules()

    state = ModuleState(analysis=Analysis())
    transform_source(SOURCE, [], state=state)
    assert state.legacy is state.analysis.parsed.parse(SOURCE)  # type: ignore[attr-defined]
    assert state.legacy_source == SOURCE


def test_a_module_is_parsed_once_a_run_by_the_runner_and_the_package_scans() -> None:
    with shared_for_run():
        scanned = parse_shared(SOURCE)
        state = ModuleState()
        transform_source(SOURCE, [], state=state)
        assert state.legacy is scanned  # the runner converts from the scan's tree
        other = SOURCE + "x = 1\n"
        converted = parse_legacy(other, None, converting=True)
        assert parse_shared(other) is converted  # a scan after the conversion reads its tree
    assert parse_shared(SOURCE) is not parse_shared(SOURCE)  # outside a run: parsed each time


def test_a_django_analysis_made_in_a_run_keeps_its_trees_with_the_package_scans() -> None:
    from codemods.django.analysis import DjangoAnalysis

    with shared_for_run():
        analysis = DjangoAnalysis()
        assert analysis.parsed is run_trees()
        assert analysis.parsed.parse(SOURCE) is parse_shared(SOURCE)
    assert DjangoAnalysis().parsed is not DjangoAnalysis().parsed  # outside a run: its own


def test_the_package_scans_read_a_module_s_ast_once_a_run() -> None:
    with shared_for_run():
        tree = parse_ast_shared(SOURCE)
        assert parse_ast_shared(SOURCE) is tree
        assert ast.dump(tree) == ast.dump(ast.parse(SOURCE))
    assert parse_ast_shared(SOURCE) is not parse_ast_shared(SOURCE)  # outside a run


def test_a_function_s_calls_are_ast_walk_s_calls_walked_once_a_run() -> None:
    function = ast.parse(SOURCE).body[-1]
    walked = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
    assert list(calls_in(function)) == walked
    with shared_for_run():
        assert calls_in(function) is calls_in(function)
        assert list(calls_in(function)) == walked


def test_legacy_code_is_the_legacy_text_without_rendering() -> None:
    tree = cst.parse_module(SOURCE)
    assert ModuleState(legacy_source="x = 1\n").legacy_code(tree) == "x = 1\n"
    assert ModuleState().legacy_code(tree) == SOURCE


def test_once_computes_a_module_fact_for_the_first_rule_asking() -> None:
    state = ModuleState()
    calls: list[int] = []
    for _ in range(3):
        assert state.once("key", lambda: calls.append(1) or 7) == 7
    assert calls == [1]


def test_statements_are_ast_walk_s_statements_in_its_order() -> None:
    tree = ast.parse(SOURCE)
    blocks = (ast.stmt, ast.excepthandler, ast.match_case)
    expected = [n for n in ast.walk(tree) if isinstance(n, blocks)]
    assert [n for n in statements(tree) if isinstance(n, blocks)] == expected


def test_definition_line_finds_a_method_after_its_class() -> None:
    assert definition_line(SOURCE, "f") == 9
    assert definition_line(SOURCE, "missing") is None


class _Rename(cst.CSTTransformer):
    """Overrides `on_leave` itself, with a typed visit hook that prunes lambdas."""

    def __init__(self, skip_test: object = None) -> None:
        self.visited: list[str] = []
        if skip_test is not None:
            self.skip_test = skip_test

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.visited.append("lambda")
        return False

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        if isinstance(updated_node, cst.Name) and updated_node.value == "x":
            return updated_node.with_changes(value="y")
        return updated_node


def test_a_transformer_with_its_own_on_leave_converts_as_libcst_does() -> None:
    tree = cst.parse_module(SOURCE)
    ours, theirs = _Rename(), _Rename()
    result = visit(tree, ours)
    assert isinstance(result, cst.Module)
    assert result.code == tree.visit(theirs).code
    assert ours.visited == theirs.visited == ["lambda"]


def test_a_skip_test_leaves_the_subtrees_without_the_changed_types_as_they_are() -> None:
    tree = cst.parse_module(SOURCE)

    def lacks_names(node: cst.CSTNode) -> bool:
        return not any(isinstance(n, cst.Name) for n in _descendants(node))

    result = visit(tree, _Rename(skip_test=lacks_names))
    assert isinstance(result, cst.Module)
    assert result.code == tree.visit(_Rename()).code


def test_walk_calls_the_typed_hooks_libcst_would_call() -> None:
    tree = cst.parse_module(SOURCE)

    class Names(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: list[str] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.names.append(node.value)

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

    ours, theirs = Names(), Names()
    walk(tree, ours)
    tree.visit(theirs)
    assert sorted(ours.names) == sorted(theirs.names)


def _descendants(node: cst.CSTNode) -> list[cst.CSTNode]:
    found = [node]
    for child in node.children:
        found.extend(_descendants(child))
    return found
