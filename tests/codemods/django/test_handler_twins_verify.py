"""End to end, on a small project shaped as django-postman's update views: `UpdateMessageMixin.post`
calls `self._action(user, filter)`, whose lookups and values are built from the view's class
attributes (`field_bit`, `field_value`, one of them `now()` at import). Each route serves a twin
with the handler specialized to its view (handler_twins.py), `converted` and verified by the
codemod's own check; the generated app then writes the rows Django writes for the same posts
(archive, delete, undelete, mark read and unread, by message and by thread), answers the same
redirects, and the 404 for keys the user may not touch."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "mailsite.settings"
VIEWS = """
    from django.contrib import messages
    from django.contrib.auth.decorators import login_required
    from django.db.models import Q
    from django.http import Http404
    from django.shortcuts import redirect
    from django.utils.decorators import method_decorator
    from django.utils.timezone import now
    from django.views.decorators.csrf import csrf_protect
    from django.views.generic import View

    from .models import Message

    login_required_m = method_decorator(login_required)
    csrf_protect_m = method_decorator(csrf_protect)


    class UpdateMessageMixin:
        http_method_names = ['post']
        field_value = None
        success_url = None

        def _action(self, user, filter):
            ...

        @csrf_protect_m
        @login_required_m
        def dispatch(self, *args, **kwargs):
            return super().dispatch(*args, **kwargs)

        def post(self, request, *args, **kwargs):
            next_url = request.GET.get('back') or '/done/'
            pks = request.POST.getlist('pks')
            tpks = request.POST.getlist('tpks')
            if pks or tpks:
                filter = Q(pk__in=pks) | Q(thread__in=tpks)
                self._action(request.user, filter)
                messages.success(request, self.success_msg, fail_silently=True)
                return redirect(self.success_url or next_url)
            else:
                messages.warning(request, "Select at least one object.", fail_silently=True)
                return redirect(next_url)


    class UpdateDualMixin(UpdateMessageMixin):
        def _action(self, user, filter):
            (criteria_key, criteria_val) = ('', not(self.field_value)) \\
                if isinstance(self.field_value, bool) else ('__isnull', bool(self.field_value))
            recipient_rows = Message.objects.as_recipient(user, filter)\\
                .filter(**{'recipient_{0}{1}'.format(self.field_bit, criteria_key): criteria_val})\\
                .update(**{'recipient_{0}'.format(self.field_bit): self.field_value})
            sender_rows = Message.objects.as_sender(user, filter)\\
                .filter(**{'sender_{0}{1}'.format(self.field_bit, criteria_key): criteria_val})\\
                .update(**{'sender_{0}'.format(self.field_bit): self.field_value})
            if not (recipient_rows or sender_rows):
                raise Http404


    class ArchiveView(UpdateDualMixin, View):
        field_bit = 'archived'
        success_msg = "archived"
        field_value = True


    class DeleteView(UpdateDualMixin, View):
        field_bit = 'deleted_at'
        success_msg = "deleted"
        field_value = now()


    class UndeleteView(UpdateDualMixin, View):
        field_bit = 'deleted_at'
        success_msg = "recovered"


    class UpdateRecipientMixin(UpdateMessageMixin):
        def _action(self, user, filter):
            Message.objects.as_recipient(user, filter)\\
                .filter(**{'{0}__isnull'.format(self.field_bit): bool(self.field_value)})\\
                .update(**{self.field_bit: self.field_value})


    class MarkReadView(UpdateRecipientMixin, View):
        field_bit = 'read_at'
        success_msg = "read"
        field_value = now()


    class MarkUnreadView(UpdateRecipientMixin, View):
        field_bit = 'read_at'
        success_msg = "unread"
        success_url = '/inbox/'
"""
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "mail-test-only"
        ALLOWED_HOSTS = ["testserver", "localhost"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "mailsite.mail",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "mailsite.urls"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("MAILSITE_DB", "mailsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("", include("mailsite.mail.urls"))]
        """,
    "mail/__init__.py": "",
    "mail/models.py": """
        from django.conf import settings
        from django.db import models

        STATUS_ACCEPTED = 'a'


        class MessageManager(models.Manager):
            def as_recipient(self, user, filter):
                return self.filter(filter, recipient=user, moderation_status=STATUS_ACCEPTED)

            def as_sender(self, user, filter):
                return self.filter(filter, sender=user)


        class Message(models.Model):
            subject = models.CharField(max_length=120)
            sender = models.ForeignKey(
                settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name='sent_messages',
                null=True, blank=True)
            recipient = models.ForeignKey(
                settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                related_name='received_messages', null=True, blank=True)
            thread = models.ForeignKey(
                'self', on_delete=models.CASCADE, related_name='child_messages', null=True,
                blank=True)
            read_at = models.DateTimeField(null=True, blank=True)
            sender_archived = models.BooleanField(default=False)
            recipient_archived = models.BooleanField(default=False)
            sender_deleted_at = models.DateTimeField(null=True, blank=True)
            recipient_deleted_at = models.DateTimeField(null=True, blank=True)
            moderation_status = models.CharField(max_length=1, default='p')

            objects = MessageManager()

            class Meta:
                ordering = ['-id']
        """,
    "mail/views.py": VIEWS,
    "mail/urls.py": """
        from django.urls import path

        from .views import ArchiveView, DeleteView, MarkReadView, MarkUnreadView, UndeleteView

        urlpatterns = [
            path("archive/", ArchiveView.as_view(), name="archive"),
            path("delete/", DeleteView.as_view(), name="delete"),
            path("undelete/", UndeleteView.as_view(), name="undelete"),
            path("mark-read/", MarkReadView.as_view(), name="mark-read"),
            path("mark-unread/", MarkUnreadView.as_view(), name="mark-unread"),
        ]
        """,
}
SIDES = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
from django.utils.timezone import now
from fastapi.testclient import TestClient

from generated import create_app
from mailsite.mail.models import Message

alice = User.objects.create(username="alice")
bob = User.objects.create(username="bob")
FIELDS = ["read_at", "sender_archived", "recipient_archived", "sender_deleted_at",
          "recipient_deleted_at"]


def fresh():
    Message.objects.all().delete()
    root = Message.objects.create(pk=1, subject="hi", sender=bob, recipient=alice,
                                  moderation_status="a")
    Message.objects.create(pk=2, subject="re", sender=alice, recipient=bob, thread=root,
                           moderation_status="a", read_at=now(), recipient_deleted_at=now())
    Message.objects.create(pk=3, subject="re re", sender=bob, recipient=alice, thread=root,
                           moderation_status="a", recipient_deleted_at=now(),
                           recipient_archived=True, read_at=now())
    Message.objects.create(pk=4, subject="pending", sender=bob, recipient=alice)
    Message.objects.create(pk=5, subject="theirs", sender=bob, recipient=bob,
                           moderation_status="a")


def rows():
    found = {}
    for m in Message.objects.order_by("pk"):
        found[m.pk] = [v if isinstance(v, bool) else v is not None
                       for v in (getattr(m, f) for f in FIELDS)]
    return found


legacy = Client()
legacy.force_login(alice)
new = TestClient(create_app())
SECRET = "a" * 32
new.cookies.set("csrftoken", SECRET)
new.cookies.set("sessionid", legacy.cookies["sessionid"].value)
found = {}
for url in ["/archive/", "/delete/", "/undelete/", "/mark-read/", "/mark-unread/"]:
    for data in [{"pks": ["1", "4"]}, {"tpks": ["1"]}, {"pks": ["2"]}, {"pks": ["5"]}, {}]:
        answers = []
        for side in ("legacy", "new"):
            fresh()
            if side == "legacy":
                got = legacy.post(url + "?back=/inbox/", data)
                answer = [got.status_code, got.headers.get("Location")]
            else:
                got = new.post(url + "?back=/inbox/", data={**data, "csrfmiddlewaretoken": SECRET},
                               follow_redirects=False)
                answer = [got.status_code, got.headers.get("location")]
            answers.append([*answer, rows()])
        found[url + " " + json.dumps(data)] = answers
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("postman_like")
    return converted_and_asked(root, "mailsite", PROJECT, SETTINGS, SIDES)


@pytest.mark.parametrize("name", ["archive", "delete", "undelete", "mark-read", "mark-unread"])
def test_each_update_route_is_converted_and_verified(converted: dict[str, Any], name: str) -> None:
    route = converted["routes"][name]
    assert (route["status"], route["verified"], route.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_the_generated_app_writes_the_rows_django_writes(converted: dict[str, Any]) -> None:
    differing = {post: sides for post, sides in converted["sides"].items() if sides[0] != sides[1]}
    assert differing == {}


def test_the_posts_reach_every_branch(converted: dict[str, Any]) -> None:
    sides = converted["sides"]
    statuses = {post: legacy[0] for post, (legacy, _) in sides.items()}
    assert statuses['/archive/ {"pks": ["5"]}'] == 404  # not the user's: nothing updated
    assert statuses['/archive/ {"pks": ["1", "4"]}'] == 302
    assert sides["/mark-unread/ {}"][0][1] == "/inbox/"  # none selected: back
    assert sides['/mark-unread/ {"pks": ["2"]}'][0][1] == "/inbox/"  # its success_url
    changed = {
        post for post, (legacy, _) in sides.items() if legacy[2] != sides["/archive/ {}"][0][2]
    }
    assert len(changed) >= 8  # most posts wrote rows
