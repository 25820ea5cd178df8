"""`prefetch_related(Prefetch(lookup, queryset=..., to_attr=...))`, written in a view's chain or
in a custom QuerySet method building it from locals (queryset_methods.py reads the method,
querysets.py writes `prefetching(statement, prefetch(...))`, run by
codemods/runtime/django/prefetch.py after the rows load)."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import read_relations
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Scope, Unconvertible, translate

MODELS = """
from django.conf import settings
from django.db import models

from .managers import PollQuerySet, TopicQuerySet


class Topic(models.Model):
    title = models.CharField(max_length=20)
    objects = TopicQuerySet.as_manager()


class Mark(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


class Poll(models.Model):
    topic = models.ForeignKey(Topic, related_name="topic_polls", on_delete=models.CASCADE)
    is_removed = models.BooleanField(default=False)
    objects = PollQuerySet.as_manager()


class Choice(models.Model):
    poll = models.ForeignKey(Poll, related_name="poll_choices", on_delete=models.CASCADE)
"""
MANAGERS = '''
from django.db import models
from django.db.models import Prefetch

from .models import Choice, Mark, Poll


class PollQuerySet(models.QuerySet):
    def unremoved(self):
        return self.filter(is_removed=False)


class TopicQuerySet(models.QuerySet):
    def with_marks(self, user):
        """The user's marks of each topic, as `topic.marks`."""
        if not user.is_authenticated:
            return self

        user_marks = Mark.objects.filter(user=user)
        prefetch = Prefetch("mark_set", queryset=user_marks, to_attr="marks")
        return self.prefetch_related(prefetch)

    def with_polls(self):
        polls = Prefetch("topic_polls", queryset=Poll.objects.unremoved(), to_attr="polls")
        choices = Prefetch("polls__poll_choices", queryset=Choice.objects.all(), to_attr="choices")
        return self.prefetch_related(polls, choices)
'''
NAMES = frozenset({"Topic"})


def translated(queryset: str) -> str:
    methods = read_queryset_methods([MODELS, MANAGERS])
    relations = read_relations([MODELS])
    return translate(cst.parse_expression(queryset), NAMES, relations, Scope(methods=methods)).code


def test_a_method_building_its_prefetch_from_locals_is_read_as_one_chain() -> None:
    method = read_queryset_methods([MODELS, MANAGERS])["Topic"].methods["with_marks"]
    assert method.returned == (
        "self.prefetch_related(Prefetch('mark_set', "
        "queryset=Mark.objects.filter(user=user), to_attr='marks'))"
    )
    assert method.models == ("Mark",)


def test_a_prefetch_to_attr_runs_after_the_rows_load() -> None:
    assert translated("Topic.objects.with_marks(user=request.user)") == (
        "(session.scalars(ordered(select(tables.Topic))).all() "
        "if not request.user.is_authenticated else "
        "session.scalars(prefetching(ordered(select(tables.Topic)), "
        "prefetch(tables.Mark.topic_id, ordered(select(tables.Mark)"
        '.where(tables.Mark.user_id == pk_of(request.user))), "marks"))).all())'
    )


def test_a_prefetch_through_an_earlier_to_attr_names_it() -> None:
    assert translated("Topic.objects.with_polls()") == (
        "session.scalars(prefetching(ordered(select(tables.Topic)), "
        "prefetch(tables.Poll.topic_id, ordered(select(tables.Poll)"
        '.where(tables.Poll.is_removed.is_(False))), "polls"), '
        "prefetch(tables.Choice.poll_id, ordered(select(tables.Choice)), "
        '"choices", through="polls"))).all()'
    )


def test_a_prefetch_written_in_the_view_is_translated_as_well() -> None:
    code = translated(
        'Topic.objects.prefetch_related(Prefetch("mark_set", to_attr="marks")).first()'
    )
    assert code == (
        "session.scalars(ordered(prefetching(select(tables.Topic), "
        'prefetch(tables.Mark.topic_id, ordered(select(tables.Mark)), "marks")), by_pk=True)'
        ".limit(1)).first()"
    )


@pytest.mark.parametrize(
    ("queryset", "why"),
    [
        ('Topic.objects.prefetch_related(Prefetch("mark_set"))', "a Prefetch without to_attr"),
        (
            'Topic.objects.prefetch_related(Prefetch("title", to_attr="x"))',
            "not a reverse foreign key of Topic",
        ),
        (
            'Topic.objects.prefetch_related(Prefetch("marks__x", to_attr="y"))',
            "marks is not an earlier Prefetch's to_attr",
        ),
    ],
)
def test_a_prefetch_outside_the_mapping_gives_its_reason(queryset: str, why: str) -> None:
    with pytest.raises(Unconvertible, match=why):
        translated(queryset)
