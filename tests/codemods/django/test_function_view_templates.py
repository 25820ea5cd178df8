"""A function view whose queries become SQLAlchemy rows hands them to its templates: the same
template check as a generic view's decides whether the rows can stand in (template_reads.py).
A read the generated rows cannot give (a key to a model outside the project is a plain
column) keeps the view on Django's ORM, `partial`, with the read named; reads they give (a
relation to another models module's model among them) keep it `converted`. The rows are
followed through the module's functions the view hands them to."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from tests.codemods.django.support import project_analysis, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("", views.index),
        path("closed/", views.closed),
        path("<int:pk>/", views.detail),
    ]
"""
FORUM_MODELS = """
    from django.db import models


    class Category(models.Model):
        title = models.CharField(max_length=20)
"""
BLOG_MODELS = """
    from django.db import models


    class Topic(models.Model):
        title = models.CharField(max_length=20)
        is_closed = models.BooleanField(default=False)
        category = models.ForeignKey("forum.Category", on_delete=models.CASCADE)
        vendor = models.ForeignKey("shop.Vendor", on_delete=models.CASCADE)
"""
VIEWS = """
    from django.shortcuts import get_object_or_404, render

    from .models import Topic


    def _listing(request, queryset, template):
        context = {"topics": queryset}
        return render(request, template, context)


    def index(request):
        topics = Topic.objects.filter(is_closed=False)
        return render(request, "blog/index.html", {"topics": topics})


    def closed(request):
        return _listing(
            request, queryset=Topic.objects.filter(is_closed=True), template="blog/closed.html"
        )


    def detail(request, pk):
        topic = get_object_or_404(Topic, pk=pk)
        return render(request, "blog/detail.html", {"topic": topic})
"""
TITLES = "{% for t in topics %}{{ t.title }} {{ t.category_id }}{% endfor %}"
CATEGORIES = "{% for t in topics %}{{ t.category.title }}{% endfor %}"
VENDORS = "{% for t in topics %}{{ t.vendor.name }}{% endfor %}"


def plans(tmp_path: Path, templates: dict[str, str]) -> dict[str, tuple[str, list[str]]]:
    return plans_of(tmp_path, VIEWS, templates)


def plans_of(
    tmp_path: Path, views: str, templates: dict[str, str]
) -> dict[str, tuple[str, list[str]]]:
    templates = {"detail.html": "{{ topic.title }}", **templates}
    files = {"__init__.py": "", "blog/__init__.py": "", "forum/__init__.py": ""}
    files |= {"blog/urls.py": URLS, "blog/views.py": views, "blog/models.py": BLOG_MODELS}
    files |= {"forum/models.py": FORUM_MODELS}
    files |= {f"blog/templates/blog/{name}": text for name, text in templates.items()}
    analysis = project_analysis(write_project(tmp_path / "site", files))
    found = {}
    for pattern in analysis.patterns:
        result = plan(analysis, pattern)
        found[pattern.view.name] = (str(result.status), result.reasons)
    return found


def test_rows_read_as_columns_keep_the_views_converted(tmp_path: Path) -> None:
    found = plans(
        tmp_path,
        {"index.html": TITLES, "closed.html": TITLES, "detail.html": "{{ topic.title }}"},
    )
    assert {name: status for name, (status, _) in found.items()} == {
        "index": "converted",
        "closed": "converted",
        "detail": "converted",
    }


def test_a_relation_to_a_model_outside_the_project_keeps_a_rendering_view_partial(
    tmp_path: Path,
) -> None:
    found = plans(
        tmp_path,
        {"index.html": VENDORS, "closed.html": TITLES, "detail.html": "{{ topic.title }}"},
    )
    status, reasons = found["index"]
    assert status == "partial"
    assert (
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: template blog/index.html reads "
        "t.vendor: not a column, a foreign key or a method of Topic without a query"
    ) in reasons
    assert found["closed"][0] == "converted"


def test_a_relation_to_another_models_modules_model_keeps_the_view_converted(
    tmp_path: Path,
) -> None:
    # the models modules share one base: Topic.category is a relationship to forum's Category
    found = plans(
        tmp_path,
        {"index.html": CATEGORIES, "closed.html": TITLES, "detail.html": "{{ topic.title }}"},
    )
    assert found["index"] == ("converted", [])


def test_rows_handed_to_a_module_function_rendering_them_are_checked(tmp_path: Path) -> None:
    found = plans(
        tmp_path,
        {"index.html": TITLES, "closed.html": VENDORS, "detail.html": "{{ topic.title }}"},
    )
    status, reasons = found["closed"]
    assert status == "partial"
    assert any("template blog/closed.html reads t.vendor" in r for r in reasons)


def test_an_object_of_get_object_or_404_is_checked_as_one_row(tmp_path: Path) -> None:
    found = plans(
        tmp_path,
        {"index.html": TITLES, "closed.html": TITLES, "detail.html": "{{ topic.vendor.name }}"},
    )
    status, reasons = found["detail"]
    assert status == "partial"
    assert any("template blog/detail.html reads topic.vendor" in r for r in reasons)


def test_a_context_filled_by_key_with_a_page_of_the_rows_is_checked(tmp_path: Path) -> None:
    views = VIEWS.replace(
        'return render(request, "blog/index.html", {"topics": topics})',
        'context = {}\n        context["topics"] = Paginator(topics, 10).get_page(1)\n'
        '        return render(request, "blog/index.html", context)',
    ).replace("from .models", "from django.core.paginator import Paginator\n    from .models")
    found = plans_of(tmp_path, views, {"index.html": VENDORS, "closed.html": TITLES})
    status, reasons = found["index"]
    assert status == "partial"
    assert any("template blog/index.html reads t.vendor" in r for r in reasons)


KEYED_VIEWS = VIEWS.replace(
    'def _listing(request, queryset, template):\n        context = {"topics": queryset}',
    'def _listing(request, queryset, template, name="x"):\n        context = {name: queryset}',
).replace('template="blog/closed.html"', 'template="blog/closed.html", name="topics"')


def test_a_context_keyed_by_a_parameter_given_a_string_is_checked_under_that_key(
    tmp_path: Path,
) -> None:
    templates = {"index.html": TITLES, "closed.html": TITLES}
    titles = plans_of(tmp_path / "titles", KEYED_VIEWS, templates)
    vendors = plans_of(tmp_path / "vendors", KEYED_VIEWS, {**templates, "closed.html": VENDORS})
    assert titles["closed"] == ("converted", [])
    status, reasons = vendors["closed"]
    assert status == "partial"
    assert any("template blog/closed.html reads t.vendor" in r for r in reasons)


TAG_LIBRARY = {
    "blog/templatetags/__init__.py": "",
    "blog/templatetags/blog_tags.py": "from blog.tags import pages\n",
    "blog/tags/__init__.py": "",
    "blog/tags/pages.py": """
        from django import template
        from django.template.loader import render_to_string

        register = template.Library()


        @register.simple_tag(takes_context=True)
        def render_pages(context, page):
            query = context["request"].GET.urlencode()
            return render_to_string("blog/_pages.html", {"page": page, "query": query})


        @register.simple_tag(takes_context=True)
        def first_title(context):
            return context["topics"][0].title
    """,
}


def test_rows_paged_through_a_tag_of_the_project_keep_the_view_converted(
    tmp_path: Path,
) -> None:
    index = "{% load blog_tags %}" + TITLES + "{% render_pages topics %}"
    pages = "{{ page.number }}/{{ page.paginator.num_pages }}"
    pages += "{% for t in page %}{{ t.title }}{% endfor %}"
    found = plans_with_files(tmp_path, {"index.html": index, "_pages.html": pages})
    assert found["index"] == ("converted", [])


def test_a_tag_of_the_project_reading_the_rows_from_the_context_keeps_it_partial(
    tmp_path: Path,
) -> None:
    index = "{% load blog_tags %}" + TITLES + "{% first_title %}"
    found = plans_with_files(tmp_path, {"index.html": index})
    status, reasons = found["index"]
    assert status == "partial"
    assert reasons[1:] == [
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: template blog/index.html uses "
        "{% first_title %}, which reads topics"
    ]


def plans_with_files(tmp_path: Path, templates: dict[str, str]) -> dict[str, tuple[str, list[str]]]:
    for name, text in TAG_LIBRARY.items():
        path = tmp_path / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return plans(tmp_path, {"closed.html": TITLES, **templates})


PROFILE_MODELS = (
    BLOG_MODELS
    + """

    class Profile(models.Model):
        topic = models.OneToOneField(Topic, related_name="profile", on_delete=models.CASCADE)
        slug = models.CharField(max_length=20)
"""
)
PROFILE_VIEWS = VIEWS.replace(
    'return render(request, "blog/detail.html", {"topic": topic})',
    'if topic.profile.slug != "x":\n            return None\n'
    '        return render(request, "blog/detail.html", {"topic": topic})',
)


def test_a_one_to_one_reverse_read_on_a_row_is_a_row_not_a_related_manager(
    tmp_path: Path,
) -> None:
    files = {"__init__.py": "", "blog/__init__.py": "", "forum/__init__.py": ""}
    files |= {"blog/urls.py": URLS, "blog/views.py": PROFILE_VIEWS}
    files |= {"blog/models.py": PROFILE_MODELS, "forum/models.py": FORUM_MODELS}
    files |= {"blog/templates/blog/detail.html": "{{ topic.title }}"}
    analysis = project_analysis(write_project(tmp_path / "site", files))
    found = {p.view.name: plan(analysis, p) for p in analysis.patterns}
    assert (str(found["detail"].status), found["detail"].reasons) == ("converted", [])
