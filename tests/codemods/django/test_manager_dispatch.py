"""A manager method a class-based view chooses by name (`getattr(Message.objects,
self.folder_name)`, django-postman's folders): the route names the method the served view calls
and what in it keeps it on Django's ORM (manager_dispatch.py)."""

from __future__ import annotations

from pathlib import Path

from codemods.django.plans import plan
from tests.codemods.django.support import project_analysis, write_project

MODELS = """
    from django.db import models
    from django.db.models.expressions import RawSQL


    class MessageManager(models.Manager):
        def _folder(self, filters):
            return self.filter(**filters).annotate(count=RawSQL("1", ()))

        def inbox(self, user):
            return self._folder({"recipient": user})

        def sent(self, user):
            return self.filter(sender=user).order_by("-id")

        def archives(self, user):
            if user.is_staff:
                return self.all()
            return self.filter(sender=user)


    class Message(models.Model):
        subject = models.CharField(max_length=120)
        objects = MessageManager()
"""
VIEWS = """
    from django.views.generic import TemplateView

    from .models import Message


    class FolderMixin(TemplateView):
        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["msgs"] = getattr(Message.objects, self.folder_name)(self.request.user)
            return context


    class InboxView(FolderMixin):
        folder_name = "inbox"
        template_name = "inbox.html"


    class SentView(FolderMixin):
        folder_name = "sent"
        template_name = "sent.html"


    class ArchivesView(FolderMixin):
        folder_name = "archives"
        template_name = "sent.html"


    class NamelessView(FolderMixin):
        template_name = "sent.html"
"""
URLS = """
    from django.urls import path

    from .views import ArchivesView, InboxView, NamelessView, SentView

    urlpatterns = [
        path("inbox/", InboxView.as_view()),
        path("sent/", SentView.as_view()),
        path("archives/", ArchivesView.as_view()),
        path("other/", NamelessView.as_view()),
    ]
"""


def reasons(tmp_path: Path, view: str) -> tuple[str, list[str]]:
    files = {
        "__init__.py": "",
        "postman/__init__.py": "",
        "postman/models.py": MODELS,
        "postman/views.py": VIEWS,
        "postman/urls.py": URLS,
    }
    analysis = project_analysis(write_project(tmp_path / "site", files))
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_the_route_names_the_raw_sql_of_the_method_its_view_calls(tmp_path: Path) -> None:
    status, found = reasons(tmp_path, "InboxView")
    assert status == "partial"
    assert (
        "stays on Django's ORM: FolderMixin: getattr(Message.objects, self.folder_name) is "
        "Message.objects.inbox() for InboxView (folder_name = 'inbox'): MessageManager.inbox "
        "builds raw SQL the query mapping does not translate: RawSQL (in _folder)"
    ) in found


def test_another_view_of_the_mixin_names_its_own_method(tmp_path: Path) -> None:
    _, found = reasons(tmp_path, "ArchivesView")
    assert any(
        "is Message.objects.archives() for ArchivesView (folder_name = 'archives'): "
        "MessageManager.archives is a chain the query mapping translates, but a method chosen "
        "by name is not converted yet" in reason
        for reason in found
    )


def test_a_method_the_mapping_reads_is_named_as_such(tmp_path: Path) -> None:
    _, found = reasons(tmp_path, "SentView")
    assert any(
        "MessageManager.sent is a chain the query mapping translates, but a method chosen by "
        "name is not converted yet" in reason
        for reason in found
    )


def test_a_view_giving_no_name_says_the_method_is_not_known(tmp_path: Path) -> None:
    _, found = reasons(tmp_path, "NamelessView")
    assert any(
        "NamelessView gives folder_name no string, so the manager method called is not known"
        in reason
        for reason in found
    )
