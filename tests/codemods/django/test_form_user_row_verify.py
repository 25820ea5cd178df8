"""End to end, on a small project: a ModelForm whose clean() reads the user's one-to-one row
(`self.user.st.nickname`, spirit's TopicPrivateJoinForm) comes out `converted` and verified by
the codemod's own check, and the generated app answers as Django does: the form's error names
the user's nickname read through the session."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **pinsite.PROJECT,
    "notes/models.py": """
        from django.conf import settings
        from django.db import models


        class Profile(models.Model):
            user = models.OneToOneField(
                settings.AUTH_USER_MODEL, related_name="st", on_delete=models.CASCADE
            )
            nickname = models.CharField(max_length=20)


        class Pin(models.Model):
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            label = models.CharField(max_length=20, blank=True)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Pin


        class PinForm(forms.ModelForm):
            class Meta:
                model = Pin
                fields = ["label"]

            def __init__(self, user=None, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.user = user

            def clean(self):
                cleaned_data = super().clean()
                if Pin.objects.filter(user=self.user).exists():
                    raise forms.ValidationError(
                        "%(name)s has pinned already" % {"name": self.user.st.nickname}
                    )
                return cleaned_data

            def save(self, commit=True):
                if not self.instance.pk:
                    self.instance.user = self.user
                return super().save(commit)
        """,
    "notes/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.shortcuts import redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import PinForm


        @csrf_exempt
        @login_required
        def pin(request):
            form = PinForm(user=request.user, data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("pin")
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("pin/", views.pin, name="pin")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from django.contrib.auth.models import User

from pinsite.notes.models import Pin, Profile

ada = User.objects.create_user("ada")
Profile.objects.create(user=ada, nickname="Ada L.")
legacy, new = Client(), TestClient(create_app())
legacy.force_login(ada)
new.cookies.set("sessionid", legacy.cookies["sessionid"].value)
answer = new.post("/notes/pin/", data={"label": "mine"}, follow_redirects=False)
found = {"saved": [answer.status_code, Pin.objects.get().user_id == ada.pk]}
again = {"label": "again"}
a, b = legacy.post("/notes/pin/", again), new.post("/notes/pin/", data=again)
found["again"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                  "Ada L. has pinned already" in b.text, Pin.objects.count()]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("user-row")
    found = converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)
    return {**found, "forms": (root / "generated" / "notes" / "forms.py").read_text()}


def test_the_view_with_the_form_reading_the_users_row_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    entry = converted["routes"]["pin"]
    assert (entry["status"], entry["verified"]) == ("converted", True), entry["reasons"]


def test_the_twin_reads_the_users_row_through_the_session(converted: dict[str, Any]) -> None:
    assert "tables.Profile.user_id == pk_of(self.user)" in converted["forms"]


def test_the_forms_error_names_the_nickname_as_django_does(converted: dict[str, Any]) -> None:
    assert converted["sides"]["saved"] == [302, True]
    assert converted["sides"]["again"] == [200, 200, True, True, 1]
