"""The current site, a column's values and the user model's manager in the query mapping
(querysets.py): `Site.objects.get_current()`, `.values_list("field", flat=True)`,
`get_user_model().objects`."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import Relation
from codemods.django.querysets import Unconvertible, translate
from tests.codemods.django.test_querysets import MODELS, RELATIONS

WITH_USER = {
    **RELATIONS,
    "Task": {"created_by": Relation("ForeignKey", mapped=True, to_user=True, target="User")},
}


def sql(queryset: str, relations: dict[str, dict[str, Relation]] = RELATIONS) -> str:
    return translate(cst.parse_expression(queryset), MODELS | {"Site"}, relations).code


def test_the_current_site_is_read_on_the_session_through_the_runtimes_sites() -> None:
    assert sql("Site.objects.get_current()") == (
        "sites.current_site(session, None, tables.SitesSite)"
    )


def test_the_current_site_of_a_request_is_read_by_its_host() -> None:
    assert sql("Site.objects.get_current(request)") == (
        "sites.current_site(session, request, tables.SitesSite)"
    )


def test_flat_values_of_a_column_are_the_column_of_the_chains_rows_in_its_order() -> None:
    assert sql('Post.objects.filter(status="published").values_list("title", flat=True)') == (
        'session.scalars(ordered(select(tables.Post).where(tables.Post.status == "published"))'
        ".with_only_columns(tables.Post.title)).all()"
    )


def test_values_list_of_tuples_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match="only values_list"):
        sql('Post.objects.values_list("title", "id")')


def test_flat_values_of_a_relation_stay_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match="only a column of Post"):
        sql('Post.objects.values_list("tags", flat=True)')


def test_the_user_models_manager_is_the_generated_user() -> None:
    assert sql('get_user_model().objects.get(username="ann")', WITH_USER) == (
        'get_one(session, select(tables.User).where(tables.User.username == "ann"))'
    )


def test_the_user_models_manager_without_a_generated_user_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match="no relation of SRC generates the user"):
        sql('get_user_model().objects.get(username="ann")')


def test_only_and_defer_select_the_whole_rows_whose_fields_read_the_same() -> None:
    assert sql('Post.objects.filter(status="published").only("title")') == (
        'session.scalars(ordered(select(tables.Post).where(tables.Post.status == "published")))'
        ".all()"
    )
    assert sql('Post.objects.defer("title").count()') == (
        "session.scalar(select(func.count()).select_from(select(tables.Post).subquery()))"
    )


def test_only_through_a_relation_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match=r"\.only\(\) of other than"):
        sql('Post.objects.only("tags__name")')


def test_a_site_model_of_src_is_not_taken_for_djangos() -> None:
    own = {**RELATIONS, "Site": {"owner": Relation("ForeignKey", mapped=True, target="Post")}}
    with pytest.raises(Unconvertible, match="Site is a model of SRC"):
        sql("Site.objects.get_current()", own)
