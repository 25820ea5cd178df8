"""A helper of the views' module chaining on a parameter every call gives a queryset (spirit's
admin `_index(request, queryset, template)` running `queryset.order_by(...)`): the callers pass
the `select()` statement, the helper's chain goes on from it on the views' session."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.django.queryset_parameters import passed
from tests.codemods.django.test_queries_rule import convert_views, project, reasons

LISTED = """
    from django.core.paginator import Paginator
    from django.http import JsonResponse

    from .models import Post, Tag


    def _listed(request, queryset, label):
        page = Paginator(queryset.order_by("-id"), 10).page(1)
        return JsonResponse({label: [p.title for p in page.object_list]})


    def tag(request, slug):
        return _listed(request, queryset=Post.objects.filter(tags__slug=slug), label="tagged")


    def drafts(request):
        return _listed(request, Post.objects.filter(author=request.user), "drafts")


    def counts(request):
        return JsonResponse({"n": Post.objects.count()})
"""


def test_the_callers_give_a_helpers_queryset_parameter_the_statement(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, LISTED))

    assert (
        "_listed(request, queryset=ordered(select(tables.Post).where(related(tables.Post.tags, "
        'slug=slug))), label="tagged", session=session)'
    ) in code
    assert (
        "_listed(request, ordered(select(tables.Post).where(tables.Post.author_id == "
        'pk_of(request.user))), "drafts", session=session)'
    ) in code


def test_the_helpers_chain_goes_on_from_its_queryset_parameter(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, LISTED))

    assert "def _listed(request, queryset, label, *, session: Session):" in code
    assert (
        "Paginator(session.scalars(queryset.order_by(None).order_by(tables.Post.id.desc()))"
        ".all(), 10)"
    ) in code


def test_views_giving_a_helper_their_querysets_convert(tmp_path: Path) -> None:
    root = project(tmp_path, LISTED)

    assert reasons(root, "tag") == ("converted", [])
    assert reasons(root, "drafts") == ("converted", [])


def test_a_caller_giving_the_parameter_rows_keeps_the_helper_on_the_orm(tmp_path: Path) -> None:
    views = LISTED.replace(
        "Post.objects.filter(author=request.user)", "list(Post.objects.filter(author=1))"
    )

    status, why = reasons(project(tmp_path, views), "tag")

    assert status == "partial"
    assert any("queryset.order_by(): a Django queryset" in reason for reason in why)


def test_callers_giving_querysets_of_two_models_keep_the_helper_on_the_orm(
    tmp_path: Path,
) -> None:
    views = LISTED.replace("Post.objects.filter(author=request.user)", "Tag.objects.all()")

    status, why = reasons(project(tmp_path, views), "tag")

    assert status == "partial"
    two_models = "_listed: queryset: its callers give it querysets of 2 models"
    assert f"stays on Django's ORM: {two_models}" in why


def _call_and_function(call: str, function: str) -> tuple[cst.Call, cst.FunctionDef]:
    node = cst.parse_expression(call)
    definition = cst.parse_statement(function)
    assert isinstance(node, cst.Call) and isinstance(definition, cst.FunctionDef)
    return node, definition


def test_a_parameter_is_given_by_keyword_or_in_its_place() -> None:
    function = "def f(request, queryset, template): pass"

    by_keyword, defined = _call_and_function("f(r, template=t, queryset=q)", function)
    by_place, _ = _call_and_function("f(r, q, t)", function)

    assert cst.ensure_type(passed(by_keyword, defined, "queryset"), cst.Name).value == "q"
    assert cst.ensure_type(passed(by_place, defined, "queryset"), cst.Name).value == "q"


def test_a_call_spreading_arguments_gives_no_known_parameter() -> None:
    call, defined = _call_and_function("f(r, *rest)", "def f(request, queryset): pass")

    assert passed(call, defined, "queryset") is None
