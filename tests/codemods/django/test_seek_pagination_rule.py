"""A converted view giving its queryset to infinite-scroll-pagination's seek paginator, directly
or through a helper of SRC that passes it on as `query_set`, gives it `seek_rows(session, stmt)`
(the statement as the queryset the library asserts) instead of a list of the rows."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.queries import DjangoQueriesRule
from tests.codemods.django.support import convert_module, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("unread/", views.unread), path("listed/", views.listed)]
"""
MODELS = """
    from django.db import models


    class Note(models.Model):
        date = models.DateTimeField()
        is_read = models.BooleanField(default=False)
"""
PAGINATOR = """
    from infinite_scroll_pagination import paginator


    def paginate(request, query_set, lookup_field, per_page=15):
        return paginator.paginate(
            query_set=query_set, lookup_field="-" + lookup_field, value=None, per_page=per_page
        )
"""
VIEWS = """
    from django.http import HttpResponse

    from blog.paging import paginate
    from .models import Note


    def unread(request):
        notes = Note.objects.filter(is_read=False)
        page = paginate(request, query_set=notes, lookup_field="date")
        return HttpResponse(str(len(page)))


    def listed(request):
        notes = Note.objects.filter(is_read=False)
        return HttpResponse(str(len(list(notes))))
"""


def converted(tmp_path: Path) -> str:
    files = {
        "__init__.py": "",
        "blog/__init__.py": "",
        "blog/urls.py": URLS,
        "blog/models.py": MODELS,
        "blog/paging.py": PAGINATOR,
        "blog/views.py": VIEWS,
    }
    root = write_project(tmp_path / "site", files)
    code, _ = convert_module(root, "blog/views.py", [DjangoQueriesRule])
    return code


def test_a_queryset_given_to_a_helper_seeking_through_it_is_the_statement_as_seek_rows(
    tmp_path: Path,
) -> None:
    code = converted(tmp_path)

    assert "notes = ordered(select(tables.Note).where(tables.Note.is_read.is_(False)))" in code
    assert "page = paginate(request, query_set=seek_rows(session, notes)" in code
    assert "from codemods.runtime.django.seek_rows import seek_rows" in code


def test_a_queryset_given_to_other_code_is_still_its_rows(tmp_path: Path) -> None:
    code = converted(tmp_path)

    listed = code[code.index("def listed") :]
    assert "session.scalars(notes).all()" in listed
    assert "seek_rows" not in listed
