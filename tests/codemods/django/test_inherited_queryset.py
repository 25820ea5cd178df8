"""A row view whose `get_queryset` is a mixin's of SRC (inherited_queryset.py): the served class
gets copies of it and of the helpers it calls, its chain on the rows and the current site
(`get_current_site`) read on the session, while the mixins stay as written for the module's
other views (django-newsletter's `NewsletterDetailView`)."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.class_views import ClassViewsRule
from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, write_project

MODELS = """
    from django.contrib.sites.models import Site
    from django.db import models


    class Newsletter(models.Model):
        site = models.ManyToManyField(Site)
        title = models.CharField(max_length=200)
        slug = models.SlugField(unique=True)
        visible = models.BooleanField(default=True)
"""
VIEWS = """
    from django.contrib.sites.shortcuts import get_current_site
    from django.views.generic import DetailView, ListView

    from .models import Newsletter


    class SiteViewBase:
        def get_site(self, request=None):
            if request is None:
                request = self.request
            site = getattr(request, "site", None)
            if site is not None:
                return site
            return get_current_site(request)


    class NewsletterViewBase(SiteViewBase):
        slug_url_kwarg = "newsletter_slug"

        def get_queryset(self):
            site = self.get_site()
            return Newsletter.objects.filter(visible=True, site__id=site.id)


    class NewsletterDetailView(NewsletterViewBase, DetailView):
        pass


    class NewsletterListView(NewsletterViewBase, ListView):
        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["titles"] = [n.title for n in self.object_list]
            return context
"""
URLS = """
    from django.urls import path

    from .views import NewsletterDetailView, NewsletterListView

    urlpatterns = [
        path("", NewsletterListView.as_view(), name="newsletter_list"),
        path("<newsletter_slug>/", NewsletterDetailView.as_view(), name="newsletter_detail"),
    ]
"""
FILES = {
    "__init__.py": "",
    "newsletter/__init__.py": "",
    "newsletter/models.py": MODELS,
    "newsletter/views.py": VIEWS,
    "newsletter/urls.py": URLS,
    "newsletter/templates/newsletter/newsletter_detail.html": "{{ object.title }}",
    "newsletter/templates/newsletter/newsletter_list.html": "{{ titles }}",
}


def project(tmp_path: Path, **changed: str) -> Path:
    return write_project(tmp_path / "site", {**FILES, **changed})


def route(root: Path, name: str) -> Finding:
    findings = convert_module(root, "newsletter/urls.py", [UrlsRule])[1]
    return next(f for f in findings if f.kind == "route" and name in (f.target_symbol or ""))


def test_the_detail_view_gets_the_mixins_queryset_and_helper_on_the_rows(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "newsletter/views.py", [ClassViewsRule])
    assert (
        "class NewsletterDetailView(SelectedObjects, NewsletterViewBase, DetailView):\n"
        "    def get_site(self, request=None):\n"
        "        if request is None:\n"
        "            request = self.request\n"
        '        site = getattr(request, "site", None)\n'
        "        if site is not None:\n"
        "            return site\n"
        "        return current_site(self.session, request, tables.SitesSite)\n"
        "\n"
        "    def get_queryset(self):\n"
        "        site = self.get_site()\n"
        "        return self.rows(ordered(select(tables.Newsletter).where("
        "tables.Newsletter.visible.is_(True), related(tables.Newsletter.site, id=site.id))))\n"
    ) in code
    assert "from codemods.runtime.django.sites import current_site" in code


def test_the_mixins_stay_as_written_for_the_views_keeping_djangos_querysets(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "newsletter/views.py", [ClassViewsRule])
    assert "        return get_current_site(request)\n" in code
    assert "        return Newsletter.objects.filter(visible=True, site__id=site.id)\n" in code
    assert "class NewsletterListView(NewsletterViewBase, ListView):" in code


def test_the_detail_route_is_converted_and_the_list_route_says_what_keeps_it(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    detail = route(root, "NewsletterDetailView")
    assert (detail.status, detail.reasons) == (Status.converted, [])
    listed = route(root, "NewsletterListView")
    assert listed.status == Status.partial
    assert (
        "stays on Django's ORM: SiteViewBase reaches Django's ORM: get_current_site"
        in listed.reasons
    )


def test_a_helper_querying_otherwise_keeps_the_inherited_queryset_on_the_orm(
    tmp_path: Path,
) -> None:
    views = VIEWS.replace(
        "return get_current_site(request)", "return Newsletter.objects.first().site.first()"
    )
    root = project(tmp_path, **{"newsletter/views.py": views})
    detail = route(root, "NewsletterDetailView")
    assert detail.status == Status.partial
    assert (
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: NewsletterDetailView: its "
        "inherited get_queryset() stays: SiteViewBase.get_site() reaches Django's ORM: "
        "Newsletter, Newsletter.objects" in detail.reasons
    )


def test_another_method_calling_the_copied_helper_keeps_the_orm(tmp_path: Path) -> None:
    views = VIEWS.replace(
        "class NewsletterDetailView(NewsletterViewBase, DetailView):\n        pass",
        "class NewsletterDetailView(NewsletterViewBase, DetailView):\n"
        "        def get_context_data(self, **kwargs):\n"
        "            context = super().get_context_data(**kwargs)\n"
        "            context['site'] = self.get_site()\n"
        "            return context",
    )
    root = project(tmp_path, **{"newsletter/views.py": views})
    detail = route(root, "NewsletterDetailView")
    assert detail.status == Status.partial
    assert any(
        "NewsletterDetailView.get_context_data() calls get_site() too" in reason
        for reason in detail.reasons
    )


def test_without_a_relation_to_site_the_current_site_has_no_row_to_read(tmp_path: Path) -> None:
    models = MODELS.replace("site = models.ManyToManyField(Site)", "kind = models.IntegerField()")
    views = VIEWS.replace(
        "Newsletter.objects.filter(visible=True, site__id=site.id)",
        "Newsletter.objects.filter(visible=True, kind=site.id)",
    )
    files = {"newsletter/models.py": models, "newsletter/views.py": views}
    detail = route(project(tmp_path, **files), "NewsletterDetailView")
    assert detail.status == Status.partial
    assert any("no SitesSite generated" in reason for reason in detail.reasons)


def test_a_helper_the_view_defines_itself_is_not_replaced_by_the_mixins(tmp_path: Path) -> None:
    views = VIEWS.replace(
        "class NewsletterDetailView(NewsletterViewBase, DetailView):\n        pass",
        "class NewsletterDetailView(NewsletterViewBase, DetailView):\n"
        "        def get_site(self, request=None):\n"
        "            return get_current_site(self.request)",
    )
    root = project(tmp_path, **{"newsletter/views.py": views})
    detail = route(root, "NewsletterDetailView")
    assert detail.status == Status.partial
    assert any(
        "NewsletterDetailView.get_site() is the view's own: it is not copied" in reason
        for reason in detail.reasons
    )
