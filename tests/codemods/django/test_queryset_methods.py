"""Custom QuerySet and Manager methods: read from the legacy source (queryset_methods.py) and
translated as the chain they return (querysets.py)."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import read_relations
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Scope, Unconvertible, translate

MANAGERS = '''
from django.db import models
from django.db.models import Q, Prefetch
from django.utils import timezone


class TopicQuerySet(models.QuerySet):
    def opened(self):
        """The topics still open."""
        return self.filter(is_closed=False)

    def for_user(self, user, closed=False):
        return self.opened().filter(Q(user=user) | Q(is_public=True), is_closed=closed)

    def recent(self):
        return self.filter(date__gte=timezone.now())

    def with_bookmarks(self, user):
        if not user.is_authenticated:
            return self
        return self.prefetch_related(Prefetch("bookmarks"))


class TopicManager(models.Manager):
    def pinned(self):
        return self.filter(is_pinned=True)
'''

MODELS = """
from django.conf import settings
from django.db import models

from .managers import TopicQuerySet, TopicManager


class Topic(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_closed = models.BooleanField(default=False)
    is_public = models.BooleanField(default=False)
    date = models.DateTimeField()
    objects = TopicQuerySet.as_manager()


class Note(models.Model):
    a = models.IntegerField()
    is_pinned = models.BooleanField(default=False)
    objects = TopicManager()
"""

MODELS_NAMES = frozenset({"Topic", "Note"})


def sql(queryset: str, sources: tuple[str, ...] = (MODELS, MANAGERS)) -> str:
    methods = read_queryset_methods(list(sources))
    relations = read_relations([MODELS])
    node = cst.parse_expression(queryset)
    return translate(node, MODELS_NAMES, relations, Scope(methods=methods)).code


def test_a_method_returning_a_filter_is_translated_as_that_filter() -> None:
    assert sql("Topic.objects.opened()") == (
        "session.scalars(ordered(select(tables.Topic).where("
        "tables.Topic.is_closed.is_(False)))).all()"
    )


def test_a_method_calling_another_takes_its_arguments_and_defaults() -> None:
    assert sql("Topic.objects.for_user(request.user).count()") == (
        "session.scalar(select(func.count()).select_from(select(tables.Topic).where("
        "tables.Topic.is_closed.is_(False), or_(tables.Topic.user_id == pk_of(request.user), "
        "tables.Topic.is_public.is_(True)), tables.Topic.is_closed.is_(False)).subquery()))"
    )


def test_a_method_is_read_on_a_chain_and_keyword_arguments_are_bound_by_name() -> None:
    assert sql("Topic.objects.filter(pk=1).for_user(closed=flag or other, user=u).exists()") == (
        "session.scalar(select(select(tables.Topic).where(tables.Topic.id == 1, "
        "tables.Topic.is_closed.is_(False), or_(tables.Topic.user_id == pk_of(u), "
        "tables.Topic.is_public.is_(True)), tables.Topic.is_closed == (flag or other)).exists()))"
    )


def test_a_manager_method_is_read_on_the_manager() -> None:
    assert sql("Note.objects.pinned().first()") == (
        "session.scalars(ordered(select(tables.Note).where(tables.Note.is_pinned.is_(True)), "
        "by_pk=True).limit(1)).first()"
    )


def test_a_manager_method_called_on_a_queryset_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match="a Manager method"):
        sql("Note.objects.filter(a=1).pinned()")


@pytest.mark.parametrize(
    ("queryset", "why"),
    [
        ("Topic.objects.recent()", "uses a name of its module"),
        ("Topic.objects.with_bookmarks(user)", "branches"),
        ("Topic.objects.for_user()", "required argument missing"),
        ("Topic.objects.for_user(u, x=1)", "unknown keyword"),
    ],
)
def test_a_method_outside_the_mapping_stays_on_the_orm(queryset: str, why: str) -> None:
    with pytest.raises(Unconvertible):
        sql(queryset)


def test_an_override_of_djangos_own_method_keeps_the_models_queries_on_the_orm() -> None:
    overriding = MANAGERS + (
        "\n\nclass Other(models.QuerySet):\n"
        "    def filter(self, *args, **kwargs):\n"
        "        return super().filter(*args, **kwargs).exclude(is_removed=True)\n"
    )
    models = MODELS.replace("TopicQuerySet.as_manager()", "Other.as_manager()")
    with pytest.raises(Unconvertible, match=r"overrides Django's filter\(\)"):
        sql("Topic.objects.filter(pk=1)", (models, overriding))


def test_an_override_adding_related_loading_only_leaves_the_rows_as_they_are() -> None:
    loading = MANAGERS.replace(
        "    def opened(self):",
        "    def filter(self, *args, **kwargs):\n"
        '        return super().filter(*args, **kwargs).select_related("user")\n\n'
        "    def opened(self):",
    )
    assert "is_closed" in sql("Topic.objects.opened()", (MODELS, loading))


def test_methods_are_read_from_a_manager_made_from_a_queryset() -> None:
    models = MODELS.replace(
        "TopicQuerySet.as_manager()", "TopicManager.from_queryset(TopicQuerySet)()"
    )
    methods = read_queryset_methods([models, MANAGERS])
    assert {"opened", "for_user", "pinned"} <= set(methods["Topic"].methods)


def test_methods_are_read_from_a_manager_annotated_for_type_checkers() -> None:
    annotated = MODELS.replace(
        "    objects = TopicManager()", "    objects: ClassVar[TopicManager] = TopicManager()"
    )
    assert sql("Note.objects.pinned().first()", (annotated, MANAGERS)) == sql(
        "Note.objects.pinned().first()"
    )


def test_a_method_of_an_annotated_manager_that_is_not_a_chain_says_why() -> None:
    refusing = MANAGERS + (
        "\n\nclass CountingManager(models.Manager):\n"
        "    def unread(self, user):\n"
        "        return self.filter(user=user, read=OPTION).count()\n"
    )
    annotated = MODELS.replace(
        "    objects = TopicManager()",
        "    objects: 'ClassVar[CountingManager]' = CountingManager()",
    )
    with pytest.raises(Unconvertible, match=r"\.unread\(\): its chain names something"):
        sql("Note.objects.unread(u)", (annotated, refusing))


def test_a_manager_with_its_own_get_queryset_gives_no_methods() -> None:
    filtered = MANAGERS.replace(
        "class TopicManager(models.Manager):\n",
        "class TopicManager(models.Manager):\n"
        "    def get_queryset(self):\n"
        "        return super().get_queryset().filter(is_removed=False)\n\n",
    )
    note = read_queryset_methods([MODELS, filtered])["Note"]
    assert note.methods == {} and note.own_rows  # Note.objects is not all the rows


def test_a_manager_method_starting_from_its_whole_queryset_is_read_from_self() -> None:
    whole = MANAGERS.replace(
        "        return self.filter(is_pinned=True)",
        "        return super().get_queryset().filter(is_pinned=True)\n\n"
        "    def latest(self):\n"
        '        return self.get_queryset().order_by("-id")',
    )
    methods = read_queryset_methods([MODELS, whole])["Note"].methods

    assert methods["pinned"].returned == "self.filter(is_pinned=True)"
    assert methods["latest"].returned == 'self.order_by("-id")'


def test_a_method_whose_chain_spans_lines_is_read_whole() -> None:
    spanning = MANAGERS.replace(
        "        return self.filter(is_closed=False)",
        "        return (\n"
        "            self.filter(is_closed=False)\n"
        '            .order_by("-id")\n'
        "        )",
    )

    assert "order_by(tables.Topic.id.desc())" in sql("Topic.objects.opened()", (MODELS, spanning))


CLASS_METHODS = """
from django.conf import settings
from django.db import models


class Topic(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    @classmethod
    def create_action(cls, user, action):
        return cls.objects.create(user=user, action=action, comment="action")

    @classmethod
    def last_for(cls, user):
        if user is None:
            return None
        return cls.objects.filter(user=user).first()
"""


def test_a_models_classmethod_returning_a_chain_on_its_objects_is_that_chain() -> None:
    assert sql("Topic.create_action(user=request.user, action=1)", (CLASS_METHODS,)) == (
        'create(session, tables.Topic, user_id=pk_of(request.user), action=1, comment="action")'
    )


def test_a_models_classmethod_that_branches_stays() -> None:
    with pytest.raises(Unconvertible, match="not in the query mapping"):
        sql("Topic.objects.filter(pk=1).last_for(u)", (CLASS_METHODS,))
    assert "last_for" not in read_queryset_methods([CLASS_METHODS])["Topic"].methods


def test_a_models_classmethod_is_not_a_queryset_method() -> None:
    with pytest.raises(Unconvertible, match="classmethod"):
        sql("Topic.objects.create_action(user=u, action=1)", (CLASS_METHODS,))
