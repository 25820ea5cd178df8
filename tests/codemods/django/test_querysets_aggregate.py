"""`.aggregate()` and an instance's default `<model>_set` manager -> SQLAlchemy (querysets.py),
or why they stay on Django's ORM (before: ".aggregate() is not in the query mapping";
`category.category_set`: "a Django queryset, related manager or model method")."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import Relation
from codemods.django.querysets import Unconvertible, instance_sets, translate

MODELS = frozenset({"Category", "Topic"})
RELATIONS = {
    "Category": {
        "parent": Relation("ForeignKey", mapped=True, target="Category", default_reverse=True)
    },
    "Topic": {
        "category": Relation("ForeignKey", mapped=True, target="Category", related_name="topics")
    },
}


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS).code


def test_aggregate_gives_django_s_dict_of_sql_functions_over_the_rows() -> None:
    assert sql('Category.objects.filter(is_removed=False).aggregate(top=Max("sort"))') == (
        "aggregated(session, select(tables.Category).where(tables.Category.is_removed.is_(False)), "
        'func.max(tables.Category.sort).label("top"))'
    )


def test_a_value_read_from_the_aggregate_s_dict_keeps_its_key() -> None:
    assert sql('Category.objects.aggregate(n=Count("id"), low=Min("sort"))["n"]') == (
        'aggregated(session, select(tables.Category), func.count(tables.Category.id).label("n"), '
        'func.min(tables.Category.sort).label("low"))["n"]'
    )


@pytest.mark.parametrize(
    "aggregate",
    ['top=Avg("sort")', 'top=Max("parent__sort")', 'top=Max("parent")', 'Max("sort")'],
)
def test_other_aggregates_stay_on_the_orm(aggregate: str) -> None:
    with pytest.raises(Unconvertible, match="aggregate"):
        sql(f"Category.objects.aggregate({aggregate})")


def test_a_foreign_key_without_related_name_gives_django_s_default_manager_name() -> None:
    assert instance_sets(RELATIONS)["category_set"] == [
        ("Category", "tables.Category.parent_id == pk_of({owner})")
    ]


def test_an_instance_s_default_manager_selects_its_related_rows() -> None:
    assert sql("category.category_set.exists()") == (
        "session.scalar(select(select(tables.Category).where(tables.Category.parent_id == "
        "pk_of(category)).exists()))"
    )
