"""Lookups through the reverse relation of a foreign key with no related_name
(`topicunread__user=ada`: Django's lookup name is the pointing model's in lower case), which the
generated model has no relationship for, are an EXISTS on the key (`keyed_rows`). On one SQLite
database Django writes topics and their unread marks, then each queryset runs on Django's ORM
and as the statement the codemod writes: both return the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from types import ModuleType
from typing import Any

import libcst as cst
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from codemods.django.model_relations import read_relations
from codemods.django.querysets import translate
from tests.codemods.django.orm_rows import SETTINGS, bind_imports, converted_models, django_results

MODELS = """
    from django.conf import settings
    from django.db import models


    class Topic(models.Model):
        title = models.CharField(max_length=75)


    class TopicUnread(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
        is_read = models.BooleanField(default=True)
"""
# ada: t0 unread, t1 read; bob: t1 unread; t2 unmarked
ROWS = """
    from django.contrib.auth.models import User
    from forum.models import Topic, TopicUnread
    ada = User.objects.create_user("ada", password="pw-123456")
    bob = User.objects.create_user("bob", password="pw-123456")
    t0, t1, t2 = (Topic.objects.create(title=f"t{n}") for n in range(3))
    TopicUnread.objects.create(user=ada, topic=t0, is_read=False)
    TopicUnread.objects.create(user=ada, topic=t1, is_read=True)
    TopicUnread.objects.create(user=bob, topic=t1, is_read=False)
"""
# one filter(): both lookups on the same mark (ada's t1 mark is read, bob's is unread)
SAME_ROW = "Topic.objects.filter(topicunread__user=ada, topicunread__is_read=False)"
QUERYSETS = [
    SAME_ROW,
    "Topic.objects.filter(topicunread__is_read=False)",
    "Topic.objects.exclude(topicunread__user=ada)",
    "Topic.objects.filter(topicunread__user=ada).filter(topicunread__is_read=False)",
]


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(tmp_path_factory.mktemp("keyed"), files) as forum:
        yield forum


def test_lookups_through_a_reverse_key_without_related_name_give_djangos_rows(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    expected = django_results(
        project, database, [dedent(ROWS)], QUERYSETS, "sorted(r.pk for r in eval(q))"
    )
    relations = read_relations([dedent(MODELS)])
    models = frozenset({"Topic", "TopicUnread"})
    with Session(create_engine(f"sqlite:///{database}")) as session:
        names: dict[str, Any] = {"session": session, "tables": generated, "ada": 1}
        got = {}
        for queryset in QUERYSETS:
            translation = translate(cst.parse_expression(queryset), models, relations)
            bind_imports(names, translation.imports)
            got[queryset] = sorted(row.id for row in eval(translation.code, names))
    assert got == expected
    assert expected[SAME_ROW] == [1]


def test_the_statement_names_the_key_it_goes_through() -> None:
    relations = read_relations([dedent(MODELS)])
    queryset = cst.parse_expression("Topic.objects.filter(topicunread__is_read=False)")

    code = translate(queryset, frozenset({"Topic", "TopicUnread"}), relations).code

    assert "related(keyed_rows(tables.TopicUnread.topic_id, tables.Topic.id), " in code
