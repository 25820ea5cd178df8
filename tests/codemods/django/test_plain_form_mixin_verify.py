"""End to end, on a small project: a plain `forms.Form` taking its querying `clean_email` from a
mixin of its module (spirit's EmailChangeForm and CleanEmailMixin) gets its twin with that method
translated, and the view building it comes out `converted` and verified; the generated app
refuses a taken address and its own password check as Django does."""

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


        class CleanEmailMixin:
            def clean_email(self):
                email = self.cleaned_data["email"].lower()
                if User.objects.filter(email=email).exists():
                    raise forms.ValidationError("The email is taken.")
                return email

            def get_email(self):
                return self.cleaned_data["email"]


        class EmailChangeForm(CleanEmailMixin, forms.Form):
            email = forms.CharField(widget=forms.EmailInput, max_length=254)
            code = forms.CharField(max_length=20)

            def clean_code(self):
                if self.cleaned_data["code"] != "secret":
                    raise forms.ValidationError("The provided code is incorrect.")
                return self.cleaned_data["code"]
        """,
    "notes/views.py": """
        from django.http import HttpResponse
        from django.shortcuts import render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import EmailChangeForm


        @csrf_exempt
        def change(request):
            form = EmailChangeForm(data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                return HttpResponse(f"changing to {form.get_email()}")
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("change/", views.change, name="change")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from django.contrib.auth.models import User

User.objects.create(username="ann", email="ann@example.com")
legacy, new = Client(), TestClient(create_app())
found = {}
asked = [("free", {"email": "New@example.com", "code": "secret"}),
         ("taken", {"email": "ANN@example.com", "code": "secret"}),
         ("code", {"email": "new@example.com", "code": "guess"})]
for key, data in asked:
    a, b = legacy.post("/notes/change/", data), new.post("/notes/change/", data=data)
    found[key] = [a.status_code, b.status_code, a.content.decode() == b.text, b.text[:28]]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_with_a_plain_form_whose_mixin_queries_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    change = converted["routes"]["change"]
    assert (change["status"], change["verified"], change.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_a_free_address_passes_the_mixin_s_translated_check(converted: dict[str, Any]) -> None:
    assert converted["sides"]["free"] == [200, 200, True, "changing to new@example.com"]


def test_a_taken_address_gets_the_mixin_s_error_as_in_django(converted: dict[str, Any]) -> None:
    assert converted["sides"]["taken"][:3] == [200, 200, True]


def test_the_form_s_own_check_still_runs_as_django_s(converted: dict[str, Any]) -> None:
    assert converted["sides"]["code"][:3] == [200, 200, True]
