"""A function view's queryset variable given to its template (view_queries.py): the rows as
`context_rows(session, stmt)`, answering `{{ rows.count }}` as Django's queryset, and None when
the variable holds None on one branch (django-todo's `search`)."""

from __future__ import annotations

from pathlib import Path

from codemods.django.model_relations import read_relations
from codemods.django.rules.queries import DjangoQueriesRule
from codemods.django.template_reads import Reads, read_models, template_problems
from tests.codemods.django.support import convert_module, write_project
from tests.codemods.django.test_queries_rule import MODELS, URLS, reasons
from tests.codemods.django.test_template_reads import MODELS as QUESTION_MODELS

SEARCH = """
    from django.shortcuts import render

    from .models import Post, Tag


    def tag(request, slug):
        return render(request, "tag.html", {})


    def drafts(request):
        found = None
        if request.GET:
            found = Post.objects.filter(title__icontains=request.GET["q"])
        if not request.user.is_superuser:
            found = found.filter(author=request.user)
        return render(request, "drafts.html", {"found": found})


    def counts(request):
        return render(request, "tag.html", {})
"""


def project(tmp_path: Path, template: str) -> Path:
    files = {
        "__init__.py": "",
        "blog/__init__.py": "",
        "blog/urls.py": URLS,
        "blog/models.py": MODELS,
        "blog/views.py": SEARCH,
        "blog/templates/drafts.html": template,
        "blog/templates/tag.html": "",
    }
    return write_project(tmp_path / "site", files)


def test_a_variable_holding_a_queryset_or_none_is_a_statement_or_none(tmp_path: Path) -> None:
    root = project(tmp_path, "{% for post in found %}{{ post.title }}{% endfor %}")
    code, _ = convert_module(root, "blog/views.py", [DjangoQueriesRule])

    assert "found = None\n" in code
    assert "found = found.where(tables.Post.author_id == pk_of(request.user))" in code
    assert 'render(request, "drafts.html", {"found": context_rows(session, found)})' in code
    assert "from codemods.runtime.django.context_rows import context_rows" in code


def test_the_route_converts_and_its_template_may_count_the_rows(tmp_path: Path) -> None:
    # before: "found: holds a queryset and something else", and the template's count a problem
    root = project(
        tmp_path, "{{ found.count }} {% for post in found %}{{ post.title }}{% endfor %}"
    )

    assert reasons(root, "drafts") == ("converted", [])


def test_a_variable_read_otherwise_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    views = root / "blog" / "views.py"
    views.write_text(views.read_text().replace('{"found": found}', '{"n": found is None}'))

    status, why = reasons(root, "drafts")
    assert status == "partial"
    assert any("found: a queryset variable used otherwise" in reason for reason in why)


def test_rows_given_as_context_rows_answer_a_querysets_reads(tmp_path: Path) -> None:
    path = tmp_path / "app" / "templates" / "page.html"
    path.parent.mkdir(parents=True)
    path.write_text("{{ questions.count }} {{ questions.exists }} {{ questions.all }}\n")
    facts = read_models([QUESTION_MODELS], read_relations([QUESTION_MODELS]))
    given = Reads(lists={"questions": "Question"}, plain=True, rows={"questions"})

    assert template_problems(tmp_path, "page.html", given, facts) == []
