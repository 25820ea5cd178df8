"""Which `DeleteView` rows the runtime's replay of Django's collector deletes as Django does
(collected_deletion.py): keys pointing at the model with CASCADE (followed to the rows pointing
at those) or SET_NULL; any other `on_delete`, or many-to-many links the generated models do not
delete, keep the view on Django's ORM."""

from __future__ import annotations

from textwrap import dedent

from codemods.django.collected_deletion import collected_deletion_problems
from codemods.django.model_relations import read_relations

MODELS = """
from django.db import models


class Query(models.Model):
    title = models.CharField(max_length=40)


class QueryLog(models.Model):
    query = models.ForeignKey(Query, null=True, on_delete=models.SET_NULL)


class QueryFavorite(models.Model):
    query = models.ForeignKey(Query, on_delete=models.CASCADE)


class FavoriteNote(models.Model):
    favorite = models.ForeignKey(QueryFavorite, on_delete=models.{on_delete})
"""


def problems(on_delete: str) -> list[str]:
    source = dedent(MODELS).replace("{on_delete}", on_delete)
    return collected_deletion_problems(read_relations([source]), "Query")


def test_cascade_and_set_null_keys_are_replayed_transitively() -> None:
    assert problems("CASCADE") == []
    assert problems("SET_NULL, null=True") == []


def test_another_on_delete_down_the_cascade_keeps_the_orm() -> None:
    assert problems("PROTECT") == [
        "FavoriteNote.favorite points at QueryFavorite: its on_delete is neither CASCADE nor "
        "SET_NULL"
    ]
