"""End to end, on a small project: the user a plain form's translated `clean_email` found (a
SQLAlchemy row, through its one-to-one profile `st`: spirit's ResendActivationForm) handed by the
view to a helper of another module that reads `user.pk` and `user.st.is_verified` (spirit's
activation token) answers as Django's user does."""

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
            is_verified = models.BooleanField(default=False)
        """,
    "notes/tokens.py": """
        def activation_token(user):
            return ";".join((str(user.pk), str(user.st.is_verified)))
        """,
    "notes/forms.py": """
        from django import forms
        from django.contrib.auth import get_user_model

        User = get_user_model()


        class ResendForm(forms.Form):
            email = forms.CharField(max_length=254)

            def clean_email(self):
                email = self.cleaned_data["email"]
                self.user = (
                    User.objects.filter(email=email, st__is_verified=False).order_by("-pk").first()
                )
                if not self.user:
                    raise forms.ValidationError("This account is verified, try logging-in.")
                return email

            def get_user(self):
                return self.user
        """,
    "notes/views.py": """
        from django.http import HttpResponse
        from django.shortcuts import render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import ResendForm
        from .tokens import activation_token


        @csrf_exempt
        def resend(request):
            form = ResendForm(data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                return HttpResponse(activation_token(form.get_user()))
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("resend/", views.resend, name="resend")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from django.contrib.auth.models import User
from pinsite.notes.models import Profile

ann = User.objects.create(username="ann", email="ann@example.com")
Profile.objects.create(user=ann)
bob = User.objects.create(username="bob", email="bob@example.com")
Profile.objects.create(user=bob, is_verified=True)
legacy, new = Client(), TestClient(create_app())
found = {}
for key, email in [("unverified", "ann@example.com"), ("verified", "bob@example.com")]:
    a = legacy.post("/notes/resend/", {"email": email})
    b = new.post("/notes/resend/", data={"email": email})
    found[key] = [a.status_code, b.status_code, a.content.decode() == b.text, b.text[:20]]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_helper_reads_the_found_user_s_key_and_profile_as_django_s(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["unverified"] == [200, 200, True, "1;False"]


def test_a_verified_user_s_address_gets_the_form_s_error_as_in_django(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["verified"][:3] == [200, 200, True]


def test_the_view_is_converted_and_verified(converted: dict[str, Any]) -> None:
    resend = converted["routes"]["resend"]
    assert (resend["status"], resend["verified"]) == ("converted", True)
