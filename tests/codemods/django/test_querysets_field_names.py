"""A lookup keyword must name a field or relation of its model (querysets.py, lookup_names.py):
Django raises FieldError on any other, while its SQLAlchemy twin may answer no row (a method
compared to a value), so such a query stays on Django's ORM with a reason naming the keyword and
the model. Each: the Django queryset, and the code it becomes or the reason it stays."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.literal_keys import Keys
from codemods.django.model_relations import read_relations
from codemods.django.querysets import Scope, Unconvertible, translate

MODELS_SOURCE = """
from django.conf import settings
from django.db import models


class Category(models.Model):
    title = models.CharField(max_length=75)

    def is_visible(self):
        return True


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_closed = models.BooleanField(default=False)
    PAGE_SIZE = 20

    @property
    def is_new(self):
        return False


class Comment(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
"""
MODELS = frozenset({"Category", "Topic", "Comment", "Q"})


def sql(queryset: str, source: str = MODELS_SOURCE, keys: Keys | None = None) -> str:
    relations = read_relations([source])
    scope = Scope(keys=keys or {})
    return translate(cst.parse_expression(queryset), MODELS, relations, scope).code


def test_a_keyword_naming_a_column_is_translated() -> None:
    assert sql("Topic.objects.filter(is_closed=False)") == (
        "session.scalars(ordered(select(tables.Topic).where("
        "tables.Topic.is_closed.is_(False)))).all()"
    )


def test_a_keys_column_name_and_a_reverse_relation_are_fields() -> None:
    assert "tables.Topic.category_id == c" in sql("Topic.objects.filter(category_id=c)")
    assert "related(tables.Category.topics" in sql("Category.objects.filter(topics__user=u)")


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ("Topic.objects.filter(closed=False)", "closed: 'closed' is not a field of Topic"),
        ("Topic.objects.exclude(is_new=True)", "is_new: 'is_new' is not a field of Topic"),
        ("Topic.objects.get(PAGE_SIZE=1)", "PAGE_SIZE: 'PAGE_SIZE' is not a field of Topic"),
        ("Topic.objects.filter(Q(pk=1) | Q(nme=n))", "nme: 'nme' is not a field of Topic"),
        ("get_object_or_404(Topic, slug=s)", "slug: 'slug' is not a field of Topic"),
        ("Topic.objects.filter(is_new__isnull=True)", "'is_new' is not a field of Topic"),
        ("Topic.objects.get_or_create(titel=t)", "titel: 'titel' is not a field of Topic"),
    ],
)
def test_a_keyword_naming_no_field_of_the_model_stays(queryset: str, reason: str) -> None:
    with pytest.raises(Unconvertible, match=reason + r" \(Django raises FieldError\)"):
        sql(queryset)


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ("Topic.objects.filter(category__name=n)", "category__name: 'name' is not a field of "),
        ("Comment.objects.filter(topic__category__is_visible=True)", "'is_visible' is not a "),
        ("Category.objects.filter(topics__title=t)", "topics__title: 'title' is not a field of "),
    ],
)
def test_a_lookup_through_a_relation_naming_no_field_of_the_related_model_stays(
    queryset: str, reason: str
) -> None:
    with pytest.raises(Unconvertible, match=reason):
        sql(queryset)


def test_a_computed_key_that_may_name_no_field_stays() -> None:
    keys = {"field": frozenset({"is_closed", "is_new"})}
    with pytest.raises(Unconvertible, match="field: 'is_new' is not a field of Topic"):
        sql("Topic.objects.filter(**{field: v})", keys=keys)


def test_a_model_with_a_base_of_its_own_is_not_checked() -> None:
    source = MODELS_SOURCE + "\n\nclass Pinned(Topic):\n    pass\n"
    relations = read_relations([source])
    node = cst.parse_expression("Pinned.objects.filter(pinned_at=p)")
    code = translate(node, MODELS | {"Pinned"}, relations, Scope()).code
    assert "tables.Pinned.pinned_at == p" in code


def test_models_given_fields_from_outside_their_body_are_not_checked() -> None:
    source = MODELS_SOURCE + '\n\nTopic.add_to_class("pinned_at", models.DateTimeField())\n'
    assert "tables.Topic.pinned_at == p" in sql("Topic.objects.filter(pinned_at=p)", source)
