"""End to end, on a small project: a plain `forms.Form` whose `clean_email` queries the user model
its module names `User = get_user_model()` (spirit's ResendActivationForm) gets its twin, and the
view building it comes out `converted` and verified; the generated app answers a known address,
an unknown one and one only an inactive user has as Django does."""

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


        class Note(models.Model):
            owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            title = models.CharField(max_length=20)
        """,
    "notes/forms.py": """
        from django import forms
        from django.contrib.auth import get_user_model

        User = get_user_model()


        class ResendForm(forms.Form):
            email = forms.CharField(widget=forms.EmailInput, max_length=254)

            def clean_email(self):
                email = self.cleaned_data["email"].lower()
                if not User.objects.filter(email=email).exists():
                    raise forms.ValidationError("The provided email does not exists.")
                self.user = User.objects.filter(email=email, is_active=True).order_by("-pk").first()
                if not self.user:
                    raise forms.ValidationError("This account is inactive.")
                return email

            def get_user(self):
                return self.user
        """,
    "notes/views.py": """
        from django.http import HttpResponse
        from django.shortcuts import render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import ResendForm


        @csrf_exempt
        def resend(request):
            form = ResendForm(data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                return HttpResponse(f"sent to {form.get_user().username}")
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

User.objects.create(username="ann", email="ann@example.com")
User.objects.create(username="bob", email="bob@example.com", is_active=False)
legacy, new = Client(), TestClient(create_app())
found = {}
asked = [("page", None), ("known", {"email": "Ann@example.com"}),
         ("unknown", {"email": "x@example.com"}), ("inactive", {"email": "bob@example.com"})]
for key, data in asked:
    if data is None:
        a, b = legacy.get("/notes/resend/"), new.get("/notes/resend/")
    else:
        a, b = legacy.post("/notes/resend/", data), new.post("/notes/resend/", data=data)
    found[key] = [a.status_code, b.status_code, a.content.decode() == b.text, b.text[:20]]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_with_a_plain_form_querying_the_user_model_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    resend = converted["routes"]["resend"]
    assert (resend["status"], resend["verified"], resend.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_a_known_address_finds_the_user_django_finds(converted: dict[str, Any]) -> None:
    assert converted["sides"]["known"] == [200, 200, True, "sent to ann"]


def test_an_unknown_address_gets_the_field_s_error_as_in_django(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["unknown"][:3] == [200, 200, True]


def test_an_inactive_user_s_address_gets_the_second_error_as_in_django(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["inactive"][:3] == [200, 200, True]
