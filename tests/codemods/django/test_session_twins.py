"""A served `TemplateView` whose mixins look a row up in a method other than a handler
(session_twins.py): its route serves a twin of the class on the session, with copies of the
querying method (`super()` the copied class's) and of the site helper, while the class and its
mixins stay as written for the classes of SRC built on them (django-newsletter's
`ActionTemplateView`)."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.session_twins import SessionTwinsRule
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


    class Subscription(models.Model):
        newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE)
"""
VIEWS = """
    from django.contrib.sites.shortcuts import get_current_site
    from django.shortcuts import get_object_or_404
    from django.views.generic import TemplateView

    from .models import Newsletter, Subscription

    ACTIONS = ("subscribe", "unsubscribe")


    class SiteViewBase:
        def get_site(self, request=None):
            if request is None:
                request = self.request
            return get_current_site(request)


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

        def get_form_kwargs(self):
            kwargs = super().get_form_kwargs()
            kwargs["newsletter"] = self.newsletter
            return kwargs

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

        def get(self, request, *args, **kwargs):
            Subscription.objects.get_or_create(newsletter=self.newsletter)
            return super().get(request, *args, **kwargs)
"""
URLS = """
    from django.urls import path

    from .views import ActionTemplateView

    urlpatterns = [
        path(
            "<newsletter_slug>/<action>/sent/",
            ActionTemplateView.as_view(template_name="newsletter/%(action)s_sent.html"),
            name="newsletter_sent",
        ),
    ]
"""
FILES = {
    "__init__.py": "",
    "newsletter/__init__.py": "",
    "newsletter/models.py": MODELS,
    "newsletter/views.py": VIEWS,
    "newsletter/urls.py": URLS,
    "newsletter/templates/newsletter/subscribe_sent.html": "{{ newsletter.title }} {{ action }}",
    "newsletter/templates/newsletter/unsubscribe_sent.html": "{{ newsletter.slug }}",
}
TWIN = """

class ActionTemplateViewOnSession(SessionView, ActionTemplateView):
    def get_site(self, request=None):
        if request is None:
            request = self.request
        return current_site(self.session, request, tables.SitesSite)

    def process_url_data(self, request, *args, **kwargs):
        session = self.session
        super(NewsletterMixin, self).process_url_data(request, *args, **kwargs)
        newsletter_queryset = ordered(select(tables.Newsletter).where(related(\
tables.Newsletter.site, id=self.get_site(request).id)))
        self.newsletter = get_or_404(session, newsletter_queryset.where(\
tables.Newsletter.slug == kwargs["newsletter_slug"]))
"""


def project(tmp_path: Path, **changed: str) -> Path:
    return write_project(tmp_path / "site", {**FILES, **changed})


def route(root: Path) -> tuple[str, Finding]:
    code, findings = convert_module(root, "newsletter/urls.py", [UrlsRule])
    return code, next(f for f in findings if f.kind == "route")


def test_the_view_gets_a_twin_on_the_session_after_it(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "newsletter/views.py", [SessionTwinsRule])
    assert (
        "class ActionTemplateView(NewsletterMixin, ActionMixin, TemplateView):\n    pass\n" + TWIN
        in code
    )
    assert "from codemods.runtime.django.sites import current_site" in code
    assert "from codemods.runtime.django.view_session import SessionView" in code


def test_the_mixins_stay_as_written_for_the_classes_built_on_them(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "newsletter/views.py", [SessionTwinsRule])
    assert "        return get_current_site(request)\n" in code
    assert "        self.newsletter = get_object_or_404(\n" in code
    assert "class SubscribeUserView(ActionTemplateView):" in code


def test_the_route_serves_the_twin_and_is_converted(tmp_path: Path) -> None:
    code, found = route(project(tmp_path))
    assert (found.status, found.reasons) == (Status.converted, [])
    assert "class_view(ActionTemplateViewOnSession.as_view(template_name=" in code
    assert "from .views import ActionTemplateViewOnSession" in code


def test_a_template_reading_what_the_row_lacks_keeps_the_orm(tmp_path: Path) -> None:
    read = "{{ newsletter.subscription_set.first }}"
    template = {"newsletter/templates/newsletter/unsubscribe_sent.html": read}
    _, found = route(project(tmp_path, **template))
    assert found.status == Status.partial
    assert (
        "stays on Django's ORM: its mixins' row lookup cannot move to the session: template "
        "newsletter/unsubscribe_sent.html reads newsletter.subscription_set: a related manager "
        "read other than .all, .count or .exists" in found.reasons
    )


def test_a_template_reading_the_view_keeps_the_orm(tmp_path: Path) -> None:
    read = "{% if view %}{{ view.newsletter }}{% endif %}"
    template = {"newsletter/templates/newsletter/subscribe_sent.html": read}
    _, found = route(project(tmp_path, **template))
    assert found.status == Status.partial
    assert any("reads the view (its newsletter is a row)" in r for r in found.reasons)


def test_a_method_the_view_runs_reading_the_row_otherwise_keeps_the_orm(tmp_path: Path) -> None:
    views = VIEWS.replace(
        'context["action"] = self.action', 'context["action"] = self.newsletter.title'
    )
    _, found = route(project(tmp_path, **{"newsletter/views.py": views}))
    assert found.status == Status.partial
    assert any(
        "ActionMixin.get_context_data() reads self.newsletter, a row the codemod does not "
        "follow there" in r
        for r in found.reasons
    )


def test_a_route_giving_the_key_read_with_a_default_keeps_the_orm(tmp_path: Path) -> None:
    urls = URLS.replace("<newsletter_slug>/", "<newsletter_slug>/<newsletter_queryset>/")
    _, found = route(project(tmp_path, **{"newsletter/urls.py": urls}))
    assert found.status == Status.partial
    assert any(
        "NewsletterMixin.process_url_data(): newsletter_queryset: not `Model.objects`" in r
        for r in found.reasons
    )


def test_a_method_handing_self_on_keeps_the_orm(tmp_path: Path) -> None:
    views = VIEWS.replace(
        'context["action"] = self.action', 'context["action"] = describe(self)'
    ).replace(
        "class SiteViewBase:",
        "def describe(view):\n        return view.action\n\n\n    class SiteViewBase:",
    )
    _, found = route(project(tmp_path, **{"newsletter/views.py": views}))
    assert found.status == Status.partial
    assert any(
        "ActionMixin.get_context_data() hands self on: what reads its newsletter is not followed"
        in r
        for r in found.reasons
    )


def test_a_context_read_back_keeps_the_orm(tmp_path: Path) -> None:
    views = VIEWS.replace(
        '            context["newsletter"] = self.newsletter\n',
        '            context["newsletter"] = self.newsletter\n            print(context)\n',
    )
    _, found = route(project(tmp_path, **{"newsletter/views.py": views}))
    assert found.status == Status.partial
    assert any(
        "NewsletterMixin.get_context_data() reads self.newsletter, a row the codemod does not "
        "follow there" in r
        for r in found.reasons
    )


def test_without_a_relation_to_site_the_current_site_has_no_row_to_read(tmp_path: Path) -> None:
    models = MODELS.replace("site = models.ManyToManyField(Site)", "kind = models.IntegerField()")
    views = VIEWS.replace("site__id=self.get_site(request).id", "kind=self.get_site(request).id")
    files = {"newsletter/models.py": models, "newsletter/views.py": views}
    _, found = route(project(tmp_path, **files))
    assert found.status == Status.partial
    assert any("no model of Newsletter's models module relates to" in r for r in found.reasons)
