"""End to end, on a small project: an `ArchiveIndexView` and a `DateDetailView` on a model
come out `converted` and verified by the codemod's own check (rule `class-views`,
`SelectedDates`); the generated app answers Django's pages: the latest entries, future ones
left out, the years they fall in (in Django's default time zone, Chicago), the entry of a date
and slug, and the 404s of a wrong date, an unknown slug and an empty archive."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **pinsite.PROJECT,
    "notes/models.py": """
        from django.db import models


        class Entry(models.Model):
            title = models.CharField(max_length=20)
            slug = models.SlugField()
            published = models.DateTimeField()

            def __str__(self):
                return self.title
        """,
    "notes/views.py": """
        from django.views.generic import ArchiveIndexView, DateDetailView

        from .models import Entry


        class Archive(ArchiveIndexView):
            model = Entry
            date_field = "published"


        class Detail(DateDetailView):
            model = Entry
            date_field = "published"
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("", views.Archive.as_view(), name="archive"),
            path("<int:year>/<str:month>/<int:day>/<slug:slug>/", views.Detail.as_view(),
                 name="entry"),
        ]
        """,
    "notes/templates/notes/entry_archive.html": (
        "{% for y in date_list %}{{ y|date:'c' }};{% endfor %}"
        "{% for e in latest %}<p>{{ e }} {{ e.published|date:'c' }}</p>{% endfor %}\n"
    ),
    "notes/templates/notes/entry_detail.html": "<h1>{{ entry.title }}</h1>{{ object.slug }}\n",
}
SIDES = (
    pinsite.SIDES_START
    + """import datetime
from pinsite.notes.models import Entry

UTC = datetime.UTC
legacy, new = Client(), TestClient(create_app())
Entry.objects.all().delete()


def asked(url):
    a, b = legacy.get(url), new.get(url)
    return [a.status_code, b.status_code, a.content.decode() == b.text, b.text]


found = {"empty": asked("/notes/")}
for title, slug, when in [("new year", "ny", (2024, 1, 1, 3)), ("spring", "sp", (2024, 4, 2)),
                          ("later", "la", (2999, 1, 1))]:
    Entry.objects.create(title=title, slug=slug, published=datetime.datetime(*when, tzinfo=UTC))
found["latest"] = asked("/notes/")
found["entry"] = asked("/notes/2023/dec/31/ny/")
found["wrong_day"] = asked("/notes/2024/jan/01/ny/")
found["unknown"] = asked("/notes/2024/apr/01/zz/")
found["future"] = asked("/notes/2999/jan/01/la/")
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("date_views")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


@pytest.mark.parametrize("route", ["archive", "entry"])
def test_the_date_views_are_converted_and_verified(converted: dict[str, Any], route: str) -> None:
    entry = converted["routes"][route]
    assert (entry["status"], entry["verified"], entry.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_an_empty_archive_is_a_404_on_both_sides(converted: dict[str, Any]) -> None:
    assert converted["sides"]["empty"][:2] == [404, 404]


def test_the_archive_lists_the_past_entries_and_their_years_in_chicago(
    converted: dict[str, Any],
) -> None:
    status, new_status, same, page = converted["sides"]["latest"]
    assert (status, new_status, same) == (200, 200, True)
    assert page.startswith("2024-01-01T00:00:00-06:00;2023-01-01T00:00:00-06:00;<p>spring")
    assert "later" not in page


def test_an_entry_is_found_on_its_chicago_date(converted: dict[str, Any]) -> None:
    assert converted["sides"]["entry"][:3] == [200, 200, True]
    assert "<h1>new year</h1>ny" in converted["sides"]["entry"][3]


@pytest.mark.parametrize("case", ["wrong_day", "unknown", "future"])
def test_a_wrong_date_an_unknown_slug_and_the_future_are_404s(
    converted: dict[str, Any], case: str
) -> None:
    assert converted["sides"][case][:2] == [404, 404]
