"""Readings of the legacy sources kept for the rest of a run (engine/run_cache.py)."""

from __future__ import annotations

import ast

from codemods.engine.parsed import shared_for_run
from codemods.engine.run_cache import kept_in_run, once_a_run

reads: list[list[str]] = []


@once_a_run
def read_names(sources: list[str]) -> frozenset[str]:
    reads.append(sources)
    return frozenset(sources)


def test_within_a_run_equal_sources_are_read_once() -> None:
    reads.clear()
    with shared_for_run():
        first = read_names(["a = 1", "b = 2"])
        again = read_names(["a = 1", "b = 2"])
    assert again is first and len(reads) == 1


def test_other_sources_are_read_again() -> None:
    reads.clear()
    with shared_for_run():
        read_names(["a = 1"])
        read_names(["b = 2"])
    assert len(reads) == 2


def test_each_run_and_each_call_outside_a_run_reads_anew() -> None:
    reads.clear()
    for _ in range(2):
        with shared_for_run():
            read_names(["a = 1"])
    read_names(["a = 1"])
    read_names(["a = 1"])
    assert len(reads) == 4


planned: list[str] = []


@kept_in_run(list)
def plan_of(node: ast.FunctionDef, options: dict[str, str], names: list[str]) -> list[str]:
    planned.append(node.name)
    return [node.name, *options, *names]


def function(source: str) -> ast.FunctionDef:
    found = ast.parse(source).body[0]
    assert isinstance(found, ast.FunctionDef)
    return found


def test_a_kept_reading_is_made_once_for_equal_nodes_dicts_and_lists() -> None:
    planned.clear()
    with shared_for_run():
        first = plan_of(function("def f(): pass"), {"a": "1"}, ["x"])
        again = plan_of(function("def f(): pass"), {"a": "1"}, ["x"])
    assert first == again == ["f", "a", "x"] and planned == ["f"]


def test_each_caller_of_a_kept_reading_gets_its_own_copy() -> None:
    with shared_for_run():
        first = plan_of(function("def f(): pass"), {}, [])
        first.append("changed by its caller")
        assert plan_of(function("def f(): pass"), {}, []) == ["f"]


def test_a_node_elsewhere_in_its_module_is_another_reading() -> None:
    planned.clear()
    with shared_for_run():
        plan_of(function("def f(): pass"), {}, [])
        plan_of(function("\ndef f(): pass"), {}, [])  # the same code, a line lower
    assert planned == ["f", "f"]
