"""Readings the analysis and the rules make alike, made once a run: a reading with inputs equal
to an earlier one's is the earlier one, each caller given a copy to change."""

from __future__ import annotations

import libcst as cst

from codemods.django.model_relations import ModelRelations
from codemods.django.queryset_parameters import calls_by_name, calls_of
from codemods.django.run_readings import read_once, same
from codemods.engine.parsed import shared_for_run

VIEWS = """\
def helper(queryset):
    return queryset.order_by("-id")


def view(request):
    rows = helper(Post.objects.all())
    return helper(rows) + len(helper(rows))
"""


def test_a_reading_with_equal_inputs_is_made_once_a_run_and_copied() -> None:
    made: list[int] = []
    anchor = object()

    def read() -> list[int]:
        made.append(1)
        return [len(made)]

    def copied(found: list[int]) -> list[int]:
        return list(found)

    with shared_for_run():
        first = read_once("k", anchor, ({"a": 1},), read, copied)
        first.append(99)  # the caller's copy
        second = read_once("k", anchor, ({"a": 1},), read, copied)
        other = read_once("k", anchor, ({"a": 2},), read, copied)
    assert (first, second, other) == ([1, 99], [1], [2])
    assert read_once("k", anchor, ({"a": 1},), read, copied) == [3]  # outside a run: each time


def test_relations_are_the_same_inputs_only_with_the_same_lookup_names() -> None:
    one, two = ModelRelations({"Post": frozenset({"id"})}), ModelRelations({})
    assert same(one, ModelRelations({"Post": frozenset({"id"})}))
    assert not same(one, two)
    assert not same({}, two)  # a plain dict is not the models' relations


def test_calls_of_finds_the_calls_by_bare_name_in_source_order() -> None:
    tree = cst.parse_module(VIEWS)
    functions = [s for s in tree.body if isinstance(s, cst.FunctionDef)]
    with shared_for_run():
        calls = calls_of(functions, "helper")
        assert calls_by_name(functions[1].body) is calls_by_name(functions[1].body)
    code = [cst.Module([]).code_for_node(call) for call in calls]
    assert code == ["helper(Post.objects.all())", "helper(rows)", "helper(rows)"]
    assert set(calls_by_name(functions[1].body)) == {"helper", "len"}
