"""SRC's template tags are read from their code, wherever the `templatetags` module's library
gets them (spirit registers its tags in `spirit/core/tags/*.py`, imported by `spirit_tags.py`):
a tag reading the context only by literal keys reads those keys alone, and a parameter it only
hands to the template it renders is read by that template. Rows given to such a tag are checked
in its template; rows read from the context or given to a tag that reads them itself are not."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.model_relations import read_relations
from codemods.django.template_reads import Reads, read_models, template_problems
from codemods.django.template_tags import read_tags

MODELS = dedent(
    """
    from django.db import models


    class Topic(models.Model):
        title = models.CharField(max_length=200)
        last_active = models.DateTimeField()
    """
)

LIBRARY = """
from app.tags import paginator, settings, time
from app.tags.registry import register
"""

REGISTRY = """
from django import template

register = template.Library()
"""

SETTINGS_TAG = """
from django.conf import settings as django_settings

from .registry import register


@register.simple_tag(takes_context=True)
def load_settings(context, *settings):
    context.setdefault("st_settings", {}).update(
        {setting: getattr(django_settings, setting) for setting in settings}
    )
    return ""


@register.simple_tag(takes_context=True)
def first_title(context):
    return context["topics"][0].title
"""

PAGINATOR_TAG = """
from django.core.paginator import Page
from django.template.loader import render_to_string

from .registry import register
from .render import render_votes


@register.simple_tag(takes_context=True)
def render_paginator(context, page, page_var="page"):
    query = context["request"].GET.copy()
    new_context = {"page": page, "page_var": page_var, "query": query}
    if isinstance(page, Page):
        template = "paginator/_django.html"
    else:
        template = "paginator/_own.html"
    return render_to_string(template, new_context)


@register.simple_tag()
def page_size(page):
    return len(page.object_list)


def _html(rows, request):
    return str(rows)


@register.simple_tag(takes_context=True)
def render_rows(context, rows):
    return _html(rows, context["request"])


@register.simple_tag(takes_context=True)
def render_voted(context, rows):
    return render_votes(rows, context["request"])
"""

RENDER = """
from django.template.loader import render_to_string

from ..forms import VoteForm
from ..utils import voted as has_voted


def _form(row, request):
    return render_to_string("vote.html", {"form": VoteForm(poll=row, voted=has_voted(row))})


def render_votes(rows, request):
    return "".join(_form(row, request) for row in rows)
"""

FORMS = """
from django import forms


class VoteForm(forms.Form):
    pass
"""

TIME_FILTER = """
from .registry import register


@register.filter
def since(value):
    return str(value)
"""


def write_app(tmp_path: Path, templates: dict[str, str]) -> None:
    files = {
        "templatetags/__init__.py": "",
        "templatetags/app_tags.py": LIBRARY,
        "tags/__init__.py": "",
        "tags/registry.py": REGISTRY,
        "tags/settings.py": SETTINGS_TAG,
        "tags/paginator.py": PAGINATOR_TAG,
        "tags/time.py": TIME_FILTER,
        "tags/render.py": RENDER,
        "forms.py": FORMS,
        "utils/__init__.py": "def voted(row):\n    return False\n",
        "paginator/_django.html": "{{ page.number }} of {{ page.paginator.num_pages }}",
        "paginator/_own.html": "{% for t in page %}{{ t.save }}{% endfor %}{{ page.number }}",
    }
    for name, text in files.items():
        folder = "templates" if name.endswith(".html") else ""
        path = tmp_path / "app" / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    for name, text in templates.items():
        (tmp_path / "app" / "templates" / name).write_text(dedent(text), encoding="utf-8")


def problems(tmp_path: Path, template: str) -> list[str]:
    write_app(tmp_path, {"page.html": template})
    facts = read_models([MODELS], read_relations([MODELS]))
    return template_problems(tmp_path, "page.html", Reads(lists={"topics": "Topic"}), facts)


def test_tags_registered_in_modules_the_library_imports_are_read(tmp_path: Path) -> None:
    write_app(tmp_path, {})
    tags = read_tags(tmp_path)
    assert tags["load_settings"].context_keys == frozenset({"st_settings"})
    assert tags["render_paginator"].context_keys == frozenset({"request"})
    assert tags["render_paginator"].forwards == {"page": "page", "page_var": "page_var"}
    assert tags["render_paginator"].templates == ("paginator/_django.html", "paginator/_own.html")
    assert tags["page_size"].forwards == {}


def test_a_tag_reading_only_other_keys_of_the_context_is_no_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "{% load app_tags %}{% load_settings 'DEBUG' 'LOGIN_URL' %}") == []


def test_a_tag_reading_the_rows_from_the_context_is_a_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "{% load app_tags %}{% first_title %}") == [
        "template page.html uses {% first_title %}, which reads topics"
    ]


def test_rows_a_tag_hands_to_its_templates_are_read_there(tmp_path: Path) -> None:
    assert problems(tmp_path, "{% load app_tags %}{% render_paginator topics %}") == [
        "template paginator/_own.html reads t.save: not a column, a foreign key or a method "
        "of Topic without a query"
    ]


def test_rows_a_tag_reads_itself_are_a_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "{% load app_tags %}{% page_size page=topics %}") == [
        "template page.html passes topics to {% page_size %}"
    ]


def test_a_tag_given_the_value_of_a_column_of_a_row_is_no_problem(tmp_path: Path) -> None:
    page = "{% load app_tags %}{% for t in topics %}{% page_size page=t.last_active %}{% endfor %}"
    assert problems(tmp_path, page) == []


def test_a_tag_given_a_read_of_a_row_other_than_a_column_is_a_problem(tmp_path: Path) -> None:
    page = "{% load app_tags %}{% for t in topics %}{% page_size t.save %}{% endfor %}"
    assert problems(tmp_path, page) == ["template page.html passes t to {% page_size %}"]


def test_rows_a_tag_hands_to_a_function_name_that_function(tmp_path: Path) -> None:
    assert problems(tmp_path, "{% load app_tags %}{% render_rows topics %}") == [
        "template page.html passes topics to {% render_rows %}, which hands it to _html() "
        "(what that reads is not followed)"
    ]


def test_rows_a_tag_hands_to_a_function_of_another_module_name_what_that_calls_of_src(
    tmp_path: Path,
) -> None:
    assert problems(tmp_path, "{% load app_tags %}{% render_voted topics %}") == [
        "template page.html passes topics to {% render_voted %}, which hands it to "
        "render_votes() of app.tags.render, which calls VoteForm of app.forms, voted of "
        "app.utils: what they read of it is not followed"
    ]


def test_a_filter_of_its_own_given_a_column_s_value_is_no_problem(tmp_path: Path) -> None:
    page = "{% for t in topics %}{{ t.last_active|since }}{{ t|since }}{% endfor %}"
    assert problems(tmp_path, page) == ["template page.html filters t with since"]


def test_a_page_of_rows_is_read_for_its_own_attributes(tmp_path: Path) -> None:
    page = "{{ topics.number }} {{ topics.has_next }} {{ topics.paginator.count }} {{ topics.x }}"
    assert problems(tmp_path, page) == [
        "template page.html reads topics.x: not a read of a list of rows"
    ]
