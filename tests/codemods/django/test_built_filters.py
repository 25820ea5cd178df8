"""A `get_queryset` building its lookups in a dict (built_filters.py): read as one queryset
whose lookups are known by their keys when the dict is only set by string keys and given to one
`filter(**dict)`; written otherwise, or with a lookup through a relation, it is not."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
import pytest

from codemods.django.built_filters import built_conditions, built_filter
from codemods.django.model_relations import read_relations
from codemods.django.querysets import Unconvertible

MODELS = """
from django.db import models


class Query(models.Model):
    title = models.CharField(max_length=40)


class QueryLog(models.Model):
    sql = models.TextField(null=True)
    query = models.ForeignKey(Query, null=True, on_delete=models.SET_NULL)
"""
RELATIONS = read_relations([MODELS])
BUILT = """
def get_queryset(self):
    \"\"\"The logs.\"\"\"
    kwargs = {"sql__isnull": False}
    if self.request.GET.get("q"):
        kwargs["query"] = self.request.GET["q"]
    return QueryLog.objects.filter(**kwargs).all()
"""


def function(source: str) -> cst.FunctionDef:
    node = cst.parse_module(dedent(source)).body[0]
    assert isinstance(node, cst.FunctionDef)
    return node


def test_a_dict_set_by_string_keys_and_filtered_by_is_a_built_filter() -> None:
    built = built_filter(function(BUILT))
    assert built is not None
    assert (built.name, built.keys) == ("kwargs", ("sql__isnull", "query"))
    assert cst.Module(body=[]).code_for_node(built.queryset) == "QueryLog.objects.filter().all()"


def test_each_key_gets_its_lookups_condition_on_the_value() -> None:
    built = built_filter(function(BUILT))
    assert built is not None
    assert built_conditions(built, "QueryLog", RELATIONS).code == (
        '{"sql__isnull": lambda value: is_null(tables.QueryLog.sql, value), '
        '"query": lambda value: tables.QueryLog.query_id == pk_of(value)}'
    )


@pytest.mark.parametrize(
    "changed",
    [
        BUILT.replace('kwargs["query"] = ', "kwargs[name] = "),
        BUILT.replace('kwargs["query"] = self.request.GET["q"]', "kwargs.update(q=1)"),
        BUILT.replace("    return QueryLog", "    log(kwargs)\n    return QueryLog"),
        BUILT.replace("filter(**kwargs)", "filter(**kwargs).exclude(**kwargs)"),
        BUILT.replace("filter(**kwargs)", "get(**kwargs)"),
        BUILT.replace('{"sql__isnull": False}', "dict(sql__isnull=False)"),
        BUILT.replace("    if self.request", "    if x:\n        return None\n    if self.request"),
    ],
    ids=[
        "key-not-a-string",
        "updated",
        "given-away",
        "used-twice",
        "not-filter",
        "not-a-literal",
        "returns-before",
    ],
)
def test_a_dict_used_otherwise_is_not_a_built_filter(changed: str) -> None:
    assert built_filter(function(changed)) is None


def test_a_key_through_a_relation_stays_on_the_orm() -> None:
    built = built_filter(function(BUILT.replace('"sql__isnull"', '"query__title"')))
    assert built is not None
    with pytest.raises(Unconvertible, match="a lookup through a relation"):
        built_conditions(built, "QueryLog", RELATIONS)
