"""A custom QuerySet method returning one row, `return get_object_or_404(self, <lookups>)`
(Spirit's `TopicPrivate.objects.for_delete_or_404(pk, user)`), is read as
`get_object_or_404(self.filter(<lookups>))` (queryset_methods.py): its call becomes the row of
`get_or_404(session, select(...))`, the name assigned it holds that row, and a template given it
reads it as one row."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import libcst as cst
import pytest

from codemods.django.function_templates import template_reasons
from codemods.django.model_relations import read_relations
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Scope, Translation, Unconvertible, translate
from codemods.django.template_reads import read_models
from codemods.django.view_queries import function_queries

MODELS = """
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404


class PrivateQuerySet(models.QuerySet):
    def for_delete_or_404(self, pk, user):
        return get_object_or_404(self, Q(topic__user=user) | Q(user=user), pk=pk)


class Topic(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    title = models.CharField(max_length=40)


class Private(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
    objects = PrivateQuerySet.as_manager()
"""
NAMES = frozenset({"Topic", "Private"})
VIEW = """
def delete_access(request, pk):
    private = Private.objects.for_delete_or_404(pk, request.user)
    if request.method == "POST":
        private.delete()
        return redirect("/")
    return render(request, "private/delete.html", {"private": private})
"""


def sql(queryset: str) -> str:
    methods = read_queryset_methods([MODELS])
    node = cst.parse_expression(queryset)
    return translate(node, NAMES, read_relations([MODELS]), Scope(methods=methods)).code


def test_the_method_is_read_as_the_row_of_its_filter() -> None:
    method = read_queryset_methods([MODELS])["Private"].methods["for_delete_or_404"]
    assert (method.returned, method.one_row) == (
        "get_object_or_404(self.filter(Q(topic__user=user) | Q(user=user), pk=pk))",
        True,
    )


def test_its_call_becomes_the_row_or_404() -> None:
    assert sql("Private.objects.for_delete_or_404(pk, request.user)") == (
        "get_or_404(session, select(tables.Private).where(or_(related(tables.Private.topic, "
        "tables.Topic.user_id == pk_of(request.user)), tables.Private.user_id == "
        "pk_of(request.user)), tables.Private.id == pk))"
    )


def test_a_chain_going_on_from_it_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match="returns one row, not a queryset"):
        sql("Private.objects.for_delete_or_404(pk, request.user).filter(user=request.user)")


def view_plan() -> tuple[cst.FunctionDef, dict[cst.CSTNode, Translation]]:
    function = cst.parse_module(dedent(VIEW)).body[0]
    assert isinstance(function, cst.FunctionDef)
    plan = function_queries(
        function, NAMES, read_relations([MODELS]), {}, read_queryset_methods([MODELS])
    )
    assert plan.reasons == []
    return function, dict(plan.translations)


def test_the_name_assigned_it_holds_a_row() -> None:
    _, translations = view_plan()
    codes = sorted(t.code for t in translations.values())
    assert codes[0].startswith("delete(session, private")
    assert codes[1].startswith("get_or_404(session, select(tables.Private)")


def test_a_template_given_it_reads_one_row(tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "private"
    templates.mkdir(parents=True)
    (templates / "delete.html").write_text("{{ private.topic.title }} {{ private.user_id }}\n")
    function, translations = view_plan()
    facts = read_models([MODELS], read_relations([MODELS]))
    found = template_reasons(
        function,
        translations,
        {},
        tmp_path,
        {"Private": "Private", "Topic": "Topic"},
        facts,
    )
    assert found == []
