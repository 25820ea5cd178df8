"""`.distinct()` in a chain -> SELECT DISTINCT over the model's columns (querysets.py)."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.querysets import Unconvertible, translate
from tests.codemods.django.test_querysets import MODELS, RELATIONS


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS).code


def test_distinct_selects_distinct_rows_in_the_default_order() -> None:
    assert sql('Post.objects.filter(status="published").distinct()') == (
        "session.scalars(ordered(select(tables.Post).distinct()"
        '.where(tables.Post.status == "published"))).all()'
    )


def test_count_after_distinct_counts_the_distinct_rows() -> None:
    assert sql("Post.objects.distinct().count()") == (
        "session.scalar(select(func.count()).select_from(select(tables.Post).distinct()"
        ".subquery()))"
    )


def test_distinct_on_fields_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match=r"\.distinct\(\) with fields"):
        sql('Post.objects.distinct("title")')
