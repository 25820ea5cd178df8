"""End to end, on a small project shaped as django-newsletter's archive: an `ArchiveIndexView`
whose mixins look the newsletter up in `process_url_data` (among the visible newsletters of the
current site, a list view's `get_queryset` built for the same request) and narrow a mixin's
`queryset` to it in `get_queryset` gets a twin on `SelectedDates` (session_twins.py); its route
is `converted` and verified, and the generated app answers as Django: the newsletter's
published submissions newest first (another newsletter's, unpublished and future ones left
out), an empty archive (allowed), 404 for an invisible newsletter, one of another site, none."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import test_session_twins_verify as newssite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **newssite.PROJECT,
    "news/models.py": """
        from django.contrib.sites.models import Site
        from django.db import models
        from django.utils.timezone import now


        class Newsletter(models.Model):
            site = models.ManyToManyField(Site)
            title = models.CharField(max_length=200)
            slug = models.SlugField(unique=True)
            visible = models.BooleanField(default=True)

            def __str__(self):
                return self.title


        class Submission(models.Model):
            newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE)
            title = models.CharField(max_length=200)
            publish_date = models.DateTimeField(default=now)
            publish = models.BooleanField(default=True)

            def __str__(self):
                return f"{self.title} of {self.newsletter}"
        """,
    "news/views.py": """
        from django.contrib.sites.shortcuts import get_current_site
        from django.shortcuts import get_object_or_404
        from django.views.generic import ArchiveIndexView, ListView

        from .models import Newsletter, Submission


        class SiteViewBase:
            def get_site(self, request=None):
                if request is None:
                    request = self.request
                site = getattr(request, "site", None)
                if site is not None:
                    return site
                return get_current_site(request)


        class NewsletterViewBase(SiteViewBase):
            def get_queryset(self):
                site = self.get_site()
                return Newsletter.objects.filter(visible=True, site__id=site.id)


        class NewsletterListView(NewsletterViewBase, ListView):
            template_name = "news/list.html"


        class ProcessUrlDataMixin:
            def process_url_data(self, request, *args, **kwargs):
                pass

            def dispatch(self, request, *args, **kwargs):
                self.process_url_data(request, *args, **kwargs)
                return super().dispatch(request, *args, **kwargs)


        class NewsletterMixin(SiteViewBase, ProcessUrlDataMixin):
            def process_url_data(self, request, *args, **kwargs):
                super().process_url_data(request, *args, **kwargs)
                newsletter_queryset = kwargs.get(
                    "newsletter_queryset",
                    Newsletter.objects.filter(site__id=self.get_site(request).id),
                )
                self.newsletter = get_object_or_404(
                    newsletter_queryset, slug=kwargs["newsletter_slug"]
                )

            def get_context_data(self, **kwargs):
                context = super().get_context_data(**kwargs)
                context["newsletter"] = self.newsletter
                return context


        class SubmissionViewBase(NewsletterMixin):
            date_field = "publish_date"
            allow_empty = True
            queryset = Submission.objects.filter(publish=True)

            def process_url_data(self, request, *args, **kwargs):
                kwargs["newsletter_queryset"] = NewsletterListView(request=request).get_queryset()
                return super().process_url_data(request, *args, **kwargs)

            def get_queryset(self):
                qs = super().get_queryset()
                qs = qs.filter(newsletter=self.newsletter)
                return qs


        class SubmissionArchiveIndexView(SubmissionViewBase, ArchiveIndexView):
            pass
        """,
    "news/urls.py": """
        from django.urls import path

        from .views import NewsletterListView, SubmissionArchiveIndexView

        urlpatterns = [
            path("", NewsletterListView.as_view(), name="list"),
            path("<newsletter_slug>/archive/", SubmissionArchiveIndexView.as_view(),
                 name="archive"),
        ]
        """,
    "news/templates/news/list.html": "{% for n in object_list %}{{ n.slug }}{% endfor %}\n",
    "news/templates/news/submission_archive.html": (
        "<h1>{{ newsletter.title }}</h1>{% for s in latest %}<p>{{ s }}</p>{% endfor %}"
        "{% for y in date_list %}{{ y|date:'Y' }};{% endfor %}\n"
    ),
}
SIDES = """
import datetime
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.contrib.sites.models import Site
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app
from newssite.news.models import Newsletter, Submission

UTC = datetime.UTC
here = Site.objects.get(pk=1)
elsewhere = Site.objects.create(domain="elsewhere.test", name="elsewhere")
news = Newsletter.objects.create(title="News", slug="news")
news.site.add(here)
Newsletter.objects.create(title="Quiet", slug="quiet").site.add(here)
Newsletter.objects.create(title="Hidden", slug="hidden", visible=False).site.add(here)
Newsletter.objects.create(title="Other", slug="other").site.add(elsewhere)
other = Newsletter.objects.get(slug="other")
for title, newsletter, when, publish in [
    ("first", news, (2023, 5, 1), True), ("second", news, (2024, 2, 1), True),
    ("draft", news, (2024, 3, 1), False), ("later", news, (2999, 1, 1), True),
    ("theirs", other, (2024, 1, 1), True),
]:
    Submission.objects.create(
        title=title, newsletter=newsletter, publish=publish,
        publish_date=datetime.datetime(*when, tzinfo=UTC),
    )
legacy, new = Client(), TestClient(create_app())
found = {}
for slug in ["news", "quiet", "hidden", "other", "missing"]:
    a, b = legacy.get(f"/{slug}/archive/"), new.get(f"/{slug}/archive/")
    found[slug] = [a.status_code, b.status_code, a.content.decode() == b.text, b.text]
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("archive_like")
    return converted_and_asked(root, "newssite", PROJECT, newssite.SETTINGS, SIDES)


def test_the_archive_route_is_converted_and_verified(converted: dict[str, Any]) -> None:
    route = converted["routes"]["archive"]
    assert (route["status"], route["verified"], route.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_the_published_past_submissions_of_the_newsletter_newest_first(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["news"] == [
        200,
        200,
        True,
        "<h1>News</h1><p>second of News</p><p>first of News</p>2024;2023;\n",
    ]


def test_an_empty_archive_is_allowed_as_in_django(converted: dict[str, Any]) -> None:
    assert converted["sides"]["quiet"] == [200, 200, True, "<h1>Quiet</h1>\n"]


@pytest.mark.parametrize("slug", ["hidden", "other", "missing"])
def test_a_newsletter_not_listed_for_the_site_is_a_404_as_in_django(
    converted: dict[str, Any], slug: str
) -> None:
    assert converted["sides"][slug][:2] == [404, 404]
