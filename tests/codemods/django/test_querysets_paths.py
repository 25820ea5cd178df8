"""Lookups through several relations (querysets.py): each relation on the path is one EXISTS
(`related(...)`, nested), the lookup on the last model's field inside; a null test counts a
missing related row as Django's LEFT JOIN does. Each: the Django queryset, and its code."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import read_relations
from codemods.django.querysets import Unconvertible, translate

MODELS_SOURCE = """
from django.conf import settings
from django.db import models


class Category(models.Model):
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
    is_removed = models.BooleanField(default=False)
    title = models.CharField(max_length=75)


class Topic(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=75)
    is_closed = models.BooleanField(default=False)


class Comment(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)


class TopicPrivate(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="topics_private")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
"""
MODELS = frozenset({"Category", "Topic", "Comment", "TopicPrivate", "Q"})
RELATIONS = read_relations([MODELS_SOURCE])


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS).code


def where(queryset: str) -> str:
    code = sql(queryset)
    return code[code.index(".where(") + 7 : code.rindex(")))")]


def test_two_relations_nest_one_exists_in_the_other() -> None:
    assert where("Comment.objects.filter(topic__category__is_removed=False)") == (
        "related(tables.Comment.topic, related(tables.Topic.category, "
        "tables.Category.is_removed.is_(False)))"
    )


def test_a_foreign_key_at_the_end_of_a_path_is_compared_by_key() -> None:
    assert where("Comment.objects.filter(topic__category__parent=category)") == (
        "related(tables.Comment.topic, related(tables.Topic.category, "
        "tables.Category.parent_id == pk_of(category)))"
    )


def test_a_self_referential_relation_is_walked_twice() -> None:
    # SQLAlchemy aliases the category of each EXISTS: category_1, category_2
    assert where("Category.objects.filter(parent__parent__is_removed=True)") == (
        "related(tables.Category.parent, related(tables.Category.parent, "
        "tables.Category.is_removed.is_(True)))"
    )


def test_none_through_a_relation_also_matches_a_missing_related_row() -> None:
    assert where("Comment.objects.filter(topic__category__parent=None)") == (
        "not_(related(tables.Comment.topic, related(tables.Topic.category, "
        "is_null(tables.Category.parent_id, False))))"
    )


def test_isnull_false_through_relations_wants_the_related_value() -> None:
    assert where("Topic.objects.filter(category__parent__isnull=False)") == (
        "related(tables.Topic.category, is_null(tables.Category.parent_id, False))"
    )


def test_comparisons_apply_at_the_end_of_the_path() -> None:
    assert where("Comment.objects.filter(topic__category__pk__in=ids)") == (
        "related(tables.Comment.topic, related(tables.Topic.category, tables.Category.id.in_(ids)))"
    )


def test_a_relation_at_the_end_of_one_level_is_compared_by_key_not_as_an_object() -> None:
    # `related(tables.Topic.topics_private, user=request.user)` would compare a Django user
    # with a SQLAlchemy relationship
    assert where("Topic.objects.exclude(topics_private__user=request.user)") == (
        "not_(and_(related(tables.Topic.topics_private, "
        "tables.TopicPrivate.user_id == pk_of(request.user))))"
    )


def test_spirits_unremoved_comments_translate() -> None:
    code = sql(
        "Comment.objects.filter(Q(topic__category__parent=None) | "
        "Q(topic__category__parent__is_removed=False), topic__category__is_removed=False)"
    )
    assert "or_(not_(related(tables.Comment.topic, related(tables.Topic.category, " in code
    assert "related(tables.Category.parent, tables.Category.is_removed.is_(False))" in code


def test_select_related_along_a_path_chains_the_joined_loads() -> None:
    assert sql('Comment.objects.select_related("topic__category__parent")') == (
        "session.scalars(ordered(select(tables.Comment).options(joinedload(tables.Comment.topic)"
        ".joinedload(tables.Topic.category).joinedload(tables.Category.parent)))).all()"
    )


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ("Category.objects.filter(topics__user=None)", "to-many relation"),
        ("Category.objects.filter(topics__category__is_removed=False)", "comes back to"),
        ("Topic.objects.filter(category__parent__isnull=flag)", "needs True/False"),
        ("Comment.objects.filter(topic__topicunread__user=u)", "not a relation"),
    ],
)
def test_a_path_that_cannot_be_kept_faithfully_stays(queryset: str, reason: str) -> None:
    with pytest.raises(Unconvertible, match=reason):
        sql(queryset)


def test_one_filters_lookups_through_a_to_many_relation_hold_on_one_related_row() -> None:
    assert where("Category.objects.filter(topics__user=u, topics__title=t, title=c)") == (
        "related(tables.Category.topics, and_(tables.Topic.user_id == pk_of(u), "
        "tables.Topic.title == t)), tables.Category.title == c"
    )


def test_an_excludes_lookups_through_a_to_many_relation_are_each_their_own() -> None:
    assert where("Category.objects.exclude(topics__user=u, topics__title=t)") == (
        "not_(and_(related(tables.Category.topics, tables.Topic.user_id == pk_of(u)), "
        "related(tables.Category.topics, title=t)))"
    )
