"""The form pass compares the mail each side sent with the per-call values of the rows masked
(verify_mail.py): a view saving a row whose column's default is new on every call (an
activation code) and mailing a link holding it verifies, as its rows do (mail differing
otherwise still fails: test_user_bound_form_choices_verify.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **pinsite.PROJECT,
    "settings.py": pinsite.PROJECT["settings.py"]
    + 'EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"\n',
    "notes/models.py": """
        from django.db import models
        from django.utils.crypto import get_random_string


        def make_code():
            return get_random_string(length=40)


        class Invite(models.Model):
            code = models.CharField(max_length=40, default=make_code)
        """,
    "notes/views.py": """
        from django.core.mail import send_mail
        from django.http import HttpResponse
        from django.views.decorators.csrf import csrf_exempt
        from django.views.decorators.http import require_POST

        from .models import Invite


        @csrf_exempt
        @require_POST
        def invite(request):
            made = Invite.objects.create()
            send_mail("Join", f"Follow /join/{made.code}/ WORD", "a@example.com", ["b@example.com"])
            return HttpResponse("sent")
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("invite/", views.invite, name="invite")]
        """,
}


def reported(tmp_path: Path, project: dict[str, str]) -> dict[str, Any]:
    sides = pinsite.SIDES_START + "print(json.dumps({}))\n"
    found: dict[str, Any] = converted_and_asked(
        tmp_path, "pinsite", project, pinsite.SETTINGS, sides
    )["routes"]["invite"]
    return found


def test_mail_quoting_a_per_call_value_of_its_rows_verifies(tmp_path: Path) -> None:
    entry = reported(tmp_path, PROJECT)
    assert (entry["verified"], entry["error"]) == (True, None)
