"""`filter(**{field: value})` (querysets.py, literal_keys.py): a key that can only be one of a
known set of column names becomes that column's equality; any other computed key stays on
Django's ORM. Each: the Django code, and what it becomes."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
import pytest

from codemods.django.literal_keys import literal_keys
from codemods.django.model_relations import read_relations
from codemods.django.querysets import Scope, Unconvertible, translate

MODELS_SOURCE = """
from django.db import models


class Category(models.Model):
    title = models.CharField(max_length=75)


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics")
    is_pinned = models.BooleanField(default=False)
    is_closed = models.BooleanField(default=False)
"""
MODELS = frozenset({"Topic", "Category"})
RELATIONS = read_relations([MODELS_SOURCE])
MODERATE = """
def _moderate(request, pk, field_name, to_value):
    Topic.objects.filter(pk=pk).exclude(**{field_name: to_value}).update(**{field_name: to_value})


def pin(request, pk):
    return _moderate(request, pk, field_name="is_pinned", to_value=True)


def close(request, pk):
    return _moderate(request=request, pk=pk, field_name="is_closed", to_value=True)
"""


def keys_of(module: str, function: str) -> dict[str, frozenset[str]]:
    tree = cst.parse_module(dedent(module))
    found = next(
        s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value == function
    )
    return literal_keys(found, tree)


def sql(queryset: str, keys: dict[str, frozenset[str]]) -> str:
    scope = Scope(keys=keys)
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS, scope).code


def test_a_parameter_every_call_gives_a_literal_holds_those_names() -> None:
    assert keys_of(MODERATE, "_moderate") == {"field_name": frozenset({"is_pinned", "is_closed"})}


def test_a_parameter_one_call_gives_a_variable_is_not_known() -> None:
    module = MODERATE + "\n\ndef other(request, name):\n    return _moderate(request, 1, name, 1)\n"
    assert "field_name" not in keys_of(module, "_moderate")


def test_a_function_passed_around_is_not_known() -> None:
    module = MODERATE + "\n\nHANDLERS = [_moderate]\n"
    assert keys_of(module, "_moderate") == {}


def test_a_literal_annotation_and_an_if_chain_of_literals_are_known() -> None:
    module = """
    def f(request, kind: Literal["is_pinned", "is_closed"], flag):
        if flag:
            field = "is_pinned"
        else:
            field = "is_closed"
    """
    assert keys_of(module, "f") == {
        "kind": frozenset({"is_pinned", "is_closed"}),
        "field": frozenset({"is_pinned", "is_closed"}),
    }


def test_a_name_also_assigned_otherwise_is_not_known() -> None:
    module = 'def f(request):\n    field = "is_pinned"\n    field = request.GET["f"]\n'
    assert keys_of(module, "f") == {}


def test_a_known_key_becomes_the_columns_equality() -> None:
    keys = {"field_name": frozenset({"is_pinned", "is_closed"})}
    assert sql("Topic.objects.filter(pk=pk).exclude(**{field_name: to_value}).count()", keys) == (
        "session.scalar(select(func.count()).select_from(select(tables.Topic).where("
        "tables.Topic.id == pk, not_(and_(getattr(tables.Topic, field_name) == to_value)))"
        ".subquery()))"
    )


def test_a_literal_key_is_an_ordinary_lookup() -> None:
    assert "tables.Topic.category_id == pk_of(c)" in sql(
        'Topic.objects.filter(**{"category": c})', {}
    )


def test_update_with_known_keys_passes_them_as_columns() -> None:
    keys = {"field_name": frozenset({"is_pinned"})}
    assert sql('Topic.objects.filter(pk=pk).update(**{field_name: v, "is_closed": c})', keys) == (
        "update_rows(session, select(tables.Topic).where(tables.Topic.id == pk), "
        '**{field_name: v, "is_closed": c})'
    )


@pytest.mark.parametrize(
    ("queryset", "keys", "reason"),
    [
        ("Topic.objects.filter(**{name: v})", {}, "computed key"),
        ("Topic.objects.filter(**{f: v})", {"f": frozenset({"category"})}, "a relation"),
        ("Topic.objects.filter(**{f: v})", {"f": frozenset({"topic__x"})}, "not a column"),
        ("Topic.objects.update(**{f: v})", {}, "not of known names"),
        ("Category.objects.filter(**{f: v})", {"f": frozenset({"topics"})}, "a relation"),
    ],
)
def test_a_key_that_may_not_be_a_column_stays(
    queryset: str, keys: dict[str, frozenset[str]], reason: str
) -> None:
    with pytest.raises(Unconvertible, match=reason):
        sql(queryset, keys)


def test_spirits_moderate_helper_translates_whole() -> None:
    from codemods.django.queryset_methods import read_queryset_methods
    from codemods.django.view_queries import function_queries

    comments = """
    class Comment(models.Model):
        topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
        action = models.IntegerField(default=0)

        @classmethod
        def create_moderation_action(cls, topic, action):
            return cls.objects.create(topic=topic, action=action)
    """
    sources = [MODELS_SOURCE + dedent(comments)]
    helper = """
    def _moderate(request, pk, field_name, to_value, action=None):
        topic = get_object_or_404(Topic, pk=pk)
        count = (
            Topic.objects.filter(pk=pk)
            .exclude(**{field_name: to_value})
            .update(**{field_name: to_value})
        )
        if count and action is not None:
            Comment.create_moderation_action(topic=topic, action=action)


    def pin(request, pk):
        return _moderate(request, pk, field_name="is_pinned", to_value=True, action=1)
    """
    tree = cst.parse_module(dedent(helper))
    function = tree.body[0]
    assert isinstance(function, cst.FunctionDef)
    plan = function_queries(
        function,
        frozenset({"Topic", "Comment"}),
        read_relations(sources),
        {},
        read_queryset_methods(sources),
        literal_keys(function, tree),
    )
    assert plan.reasons == []
    codes = sorted(t.code for t in plan.translations.values())
    assert "create(session, tables.Comment, topic=topic, action=action)" in codes
