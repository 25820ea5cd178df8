"""Round trip of `Prefetch(..., to_attr=...)` in custom QuerySet methods (beside the models):
on one SQLite database Django writes topics with marks, polls and choices, then each queryset
runs on Django's ORM and as the SQLAlchemy statement the codemod writes
(codemods/runtime/django/prefetch.py filling the attributes); both give each topic the same
lists, in the same order."""

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
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Scope, translate
from tests.codemods.django.orm_rows import SETTINGS, bind_imports, converted_models, django_results

MODELS = """
    from django.db import models
    from django.db.models import Prefetch


    class PollQuerySet(models.QuerySet):
        def unremoved(self):
            return self.filter(is_removed=False)


    class TopicQuerySet(models.QuerySet):
        def with_marks(self, owner):
            if not owner:
                return self

            owned = Mark.objects.filter(owner=owner)
            prefetch = Prefetch("mark_set", queryset=owned, to_attr="marks")
            return self.prefetch_related(prefetch)

        def with_polls(self):
            polls = Prefetch("topic_polls", queryset=Poll.objects.unremoved(), to_attr="polls")
            choices = Prefetch(
                "polls__poll_choices", queryset=Choice.objects.all(), to_attr="choices"
            )
            return self.prefetch_related(polls, choices)


    class Topic(models.Model):
        title = models.CharField(max_length=20)
        objects = TopicQuerySet.as_manager()

        class Meta:
            ordering = ["title"]


    class Mark(models.Model):
        topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
        owner = models.CharField(max_length=20)
        number = models.IntegerField()

        class Meta:
            ordering = ["-number"]


    class Poll(models.Model):
        topic = models.ForeignKey(Topic, related_name="topic_polls", on_delete=models.CASCADE)
        is_removed = models.BooleanField(default=False)
        objects = PollQuerySet.as_manager()


    class Choice(models.Model):
        poll = models.ForeignKey(Poll, related_name="poll_choices", on_delete=models.CASCADE)
        number = models.IntegerField()

        class Meta:
            ordering = ["number"]
"""
# marks written out of their order, a topic with none of ann's, a removed poll, a poll with none
ROWS = """
    from forum.models import Choice, Mark, Poll, Topic
    bravo, alpha, charlie = (Topic.objects.create(title=t) for t in ["bravo", "alpha", "charlie"])
    for topic, owner, number in [(alpha, "ann", 1), (alpha, "bob", 7), (alpha, "ann", 3),
                                 (bravo, "bob", 2), (charlie, "ann", 5)]:
        Mark.objects.create(topic=topic, owner=owner, number=number)
    kept, removed, empty = (Poll.objects.create(topic=alpha, is_removed=r) for r in [0, 1, 0])
    for poll, number in [(kept, 3), (kept, 1), (removed, 2), (kept, 2)]:
        Choice.objects.create(poll=poll, number=number)
"""
QUERYSETS = [
    "Topic.objects.with_marks(owner='ann')",
    "Topic.objects.with_marks(owner='')",
    "Topic.objects.with_polls()",
    "Topic.objects.filter(title='alpha').with_marks(owner='ann').with_polls()",
]
DESCRIBE = """
def described(topics):
    return [
        [
            topic.title,
            [m.number for m in topic.marks] if hasattr(topic, "marks") else None,
            [[c.number for c in p.choices] for p in topic.polls]
            if hasattr(topic, "polls") else None,
        ]
        for topic in topics
    ]
"""


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(tmp_path_factory.mktemp("prefetch"), files) as forum:
        yield forum


def django_lists(project: Path, database: Path) -> dict[str, Any]:
    """What each queryset gives each topic on Django's ORM (after writing ROWS)."""
    setup = [dedent(ROWS), "from forum.models import Topic", DESCRIBE]
    found: dict[str, Any] = django_results(
        project, database, setup, QUERYSETS, "described(eval(q))"
    )
    return found


def test_each_topic_gets_the_lists_django_gives_it(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    expected = django_lists(project, database)
    relations = read_relations([dedent(MODELS)])
    methods = read_queryset_methods([dedent(MODELS)])
    described: dict[str, Any] = {}
    exec(DESCRIBE, described)
    got = {}
    with Session(create_engine(f"sqlite:///{database}")) as session:
        for queryset in QUERYSETS:
            session.expunge_all()  # each query's rows loaded afresh, as Django's are
            translation = translate(
                cst.parse_expression(queryset), frozenset({"Topic"}), relations,
                Scope(methods=methods),
            )  # fmt: skip
            names: dict[str, Any] = {"session": session, "tables": generated}
            bind_imports(names, translation.imports)
            got[queryset] = described["described"](eval(translation.code, names))
    assert got == expected
    assert expected["Topic.objects.with_marks(owner='ann')"] == [
        ["alpha", [3, 1], None],
        ["bravo", [], None],
        ["charlie", [5], None],
    ]
    assert expected["Topic.objects.with_polls()"][0] == ["alpha", None, [[1, 2, 3], []]]
