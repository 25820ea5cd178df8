"""End to end, on a small project shaped as django-newsletter's action views: the route of
`ActionTemplateView` (its mixins look the newsletter up by slug among the current site's, in
`process_url_data`) serves the twin on the session (session_twins.py), `converted` and verified
by the codemod's own check; the generated app then answers as Django: the page of a newsletter
of the current site (`SITE_ID`), 404 for one of another site or none, each action's template.
The class built on the view keeps Django's instances and still runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "newssite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "news-test-only"
        ALLOWED_HOSTS = ["testserver"]
        SITE_ID = 1
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sites",
            "newssite.news",
        ]
        MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
        ROOT_URLCONF = "newssite.urls"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("NEWSSITE_DB", "newssite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("", include("newssite.news.urls"))]
        """,
    "news/__init__.py": "",
    "news/models.py": """
        from django.contrib.sites.models import Site
        from django.db import models


        class Newsletter(models.Model):
            site = models.ManyToManyField(Site)
            title = models.CharField(max_length=200)
            slug = models.SlugField(unique=True)


        class Subscription(models.Model):
            newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE)
        """,
    "news/views.py": """
        from django.contrib.sites.shortcuts import get_current_site
        from django.shortcuts import get_object_or_404
        from django.views.generic import TemplateView

        from .models import Newsletter, Subscription

        ACTIONS = ("subscribe", "unsubscribe")


        class SiteViewBase:
            def get_site(self, request=None):
                if request is None:
                    request = self.request
                site = getattr(request, "site", None)
                if site is not None:
                    return site
                return get_current_site(request)


        class ProcessUrlDataMixin:
            def process_url_data(self, request, *args, **kwargs):
                pass

            def dispatch(self, request, *args, **kwargs):
                self.process_url_data(request, *args, **kwargs)
                return super().dispatch(request, *args, **kwargs)


        class NewsletterMixin(SiteViewBase, ProcessUrlDataMixin):
            def process_url_data(self, request, *args, **kwargs):
                assert "newsletter_slug" in kwargs
                super().process_url_data(request, *args, **kwargs)
                newsletter_queryset = kwargs.get(
                    "newsletter_queryset",
                    Newsletter.objects.filter(site__id=self.get_site(request).id),
                )
                newsletter_slug = kwargs["newsletter_slug"]
                self.newsletter = get_object_or_404(newsletter_queryset, slug=newsletter_slug)

            def get_context_data(self, **kwargs):
                context = super().get_context_data(**kwargs)
                context["newsletter"] = self.newsletter
                return context


        class ActionMixin(ProcessUrlDataMixin):
            action = None

            def process_url_data(self, request, *args, **kwargs):
                super().process_url_data(request, *args, **kwargs)
                if self.action is None:
                    self.action = kwargs["action"]
                assert self.action in ACTIONS

            def get_context_data(self, **kwargs):
                context = super().get_context_data(**kwargs)
                context["action"] = self.action
                return context

            def get_template_names(self):
                return [self.template_name % {"action": self.action}]


        class ActionTemplateView(NewsletterMixin, ActionMixin, TemplateView):
            pass


        class SubscribeUserView(ActionTemplateView):
            action = "subscribe"
            template_name = "news/%(action)s_user.html"

            def get(self, request, *args, **kwargs):
                Subscription.objects.get_or_create(newsletter=self.newsletter)
                return super().get(request, *args, **kwargs)
        """,
    "news/converters.py": """
        import re


        class ActionsConverter:
            regex = "(subscribe|unsubscribe)"

            def to_python(self, value):
                found = re.match(self.regex, value)
                return found.group() if found is not None else ""

            def to_url(self, value):
                return value
        """,
    "news/urls.py": """
        from django.urls import path, register_converter

        from .converters import ActionsConverter
        from .views import ActionTemplateView, SubscribeUserView

        register_converter(ActionsConverter, "actions")

        urlpatterns = [
            path(
                "<newsletter_slug>/<actions:action>/sent/",
                ActionTemplateView.as_view(template_name="news/%(action)s_sent.html"),
                name="sent",
            ),
            path("<newsletter_slug>/join/", SubscribeUserView.as_view(), name="join"),
        ]
        """,
    "news/templates/news/subscribe_sent.html": "{{ newsletter.title }}: {{ action }} sent\n",
    "news/templates/news/unsubscribe_sent.html": "{{ newsletter.slug }}: {{ action }} sent\n",
    "news/templates/news/subscribe_user.html": "{{ newsletter.title }} joined\n",
}
SIDES = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.contrib.sites.models import Site
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app
from newssite.news.models import Newsletter, Subscription

here = Site.objects.get(pk=1)
elsewhere = Site.objects.create(domain="elsewhere.test", name="elsewhere")
Newsletter.objects.create(title="News", slug="news").site.add(here)
Newsletter.objects.create(title="Other", slug="other").site.add(elsewhere)
legacy, new = Client(), TestClient(create_app())
found = {}
for url in [
    "/news/subscribe/sent/", "/news/unsubscribe/sent/", "/other/subscribe/sent/",
    "/missing/subscribe/sent/",
]:
    a, b = legacy.get(url), new.get(url)
    found[url] = [a.status_code, b.status_code, a.content.decode() == b.text, b.text]
joined = new.get("/news/join/")
found["join"] = [joined.status_code, joined.text, Subscription.objects.count()]
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("newsletter_like")
    return converted_and_asked(root, "newssite", PROJECT, SETTINGS, SIDES)


def test_the_action_view_route_is_converted_and_verified(converted: dict[str, Any]) -> None:
    route = converted["routes"]["sent"]
    assert (route["status"], route["verified"], route.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_the_newsletter_of_the_current_site_renders_as_django(converted: dict[str, Any]) -> None:
    sides = converted["sides"]
    assert sides["/news/subscribe/sent/"] == [200, 200, True, "News: subscribe sent\n"]
    assert sides["/news/unsubscribe/sent/"] == [200, 200, True, "news: unsubscribe sent\n"]


def test_a_newsletter_of_another_site_or_none_is_a_404_as_django(
    converted: dict[str, Any],
) -> None:
    sides = converted["sides"]
    assert [sides[u][:2] for u in ["/other/subscribe/sent/", "/missing/subscribe/sent/"]] == [
        [404, 404],
        [404, 404],
    ]


def test_the_class_built_on_the_view_keeps_djangos_instances(converted: dict[str, Any]) -> None:
    assert converted["routes"]["join"]["status"] == "partial"
    assert converted["sides"]["join"] == [200, "News joined\n", 1]
