"""`.aggregate(name=Max("field"))["name"]` -> the one value of Django's dict, selected with SQL's
max() or min() on the queryset's rows (querysets.py), or why it stays on Django's ORM."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import Relation
from codemods.django.querysets import Unconvertible, translate

MODELS = frozenset({"Post", "Max", "Min", "Sum"})
RELATIONS = {"Post": {"author": Relation("ForeignKey", mapped=False, to_user=True)}}


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS).code


def test_a_max_read_by_its_name_is_one_scalar_of_the_filtered_rows() -> None:
    assert sql('Post.objects.filter(status="draft").aggregate(last=Max("edited"))["last"]') == (
        'aggregated(session, select(tables.Post).where(tables.Post.status == "draft"),'
        ' func.max(tables.Post.edited).label("last"))["last"]'
    )


def test_a_min_becomes_sql_min() -> None:
    assert "func.min(tables.Post.edited)" in sql(
        'Post.objects.all().aggregate(first=Min("edited"))["first"]'
    )


@pytest.mark.parametrize(
    "queryset",
    [
        'Post.objects.aggregate(last=Max("author"))["last"]',  # a relation, not a column
        'Post.objects.aggregate(last=Max("author__name"))["last"]',
        'Post.objects.aggregate(Max("edited"))["edited__max"]',
    ],
)
def test_other_aggregates_stay_on_the_orm(queryset: str) -> None:
    with pytest.raises(Unconvertible):
        sql(queryset)
