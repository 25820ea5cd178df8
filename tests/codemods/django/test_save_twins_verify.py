"""End to end, on a small project: a view saving a ModelForm whose model's own save() queries
(django-sql-explorer's DatabaseConnection unsets the other defaults, or makes a first connection
the default) comes out `converted` and verified by the codemod's own check, and the generated app
leaves the rows Django's save would (read back by Django)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **pinsite.PROJECT,
    "notes/models.py": """
        from django.db import models, transaction


        class Connection(models.Model):
            alias = models.CharField(max_length=20, unique=True)
            default = models.BooleanField(default=False)

            def save(self, *args, **kwargs):
                if self.default:
                    with transaction.atomic():
                        Connection.objects.filter(default=True).update(default=False)
                else:
                    has_default = Connection.objects.filter(default=True).exists()
                    if not has_default:
                        self.default = True
                super().save(*args, **kwargs)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Connection


        class ConnectionForm(forms.ModelForm):
            class Meta:
                model = Connection
                fields = ["alias", "default"]
        """,
    "notes/views.py": """
        from django.shortcuts import redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import ConnectionForm


        @csrf_exempt
        def new(request):
            form = ConnectionForm(data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("new")
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("new/", views.new, name="new")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Connection

new = TestClient(create_app())
def defaults():
    return dict(Connection.objects.order_by("id").values_list("alias", "default"))

found = {}
new.post("/notes/new/", data={"alias": "first"}, follow_redirects=False)
found["first"] = defaults()
new.post("/notes/new/", data={"alias": "second"}, follow_redirects=False)
found["second"] = defaults()
answer = new.post("/notes/new/", data={"alias": "third", "default": "on"}, follow_redirects=False)
found["third"] = [answer.status_code, defaults()]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("save_twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_saving_such_a_form_is_converted_and_verified(converted: dict[str, Any]) -> None:
    new = converted["routes"]["new"]
    assert (new["status"], new["verified"], new.get("reasons", [])) == ("converted", True, [])


def test_the_first_connection_becomes_the_default_as_django_s_save_makes_it(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["first"] == {"first": True}
    assert converted["sides"]["second"] == {"first": True, "second": False}


def test_a_new_default_unsets_the_others(converted: dict[str, Any]) -> None:
    assert converted["sides"]["third"] == [302, {"first": False, "second": False, "third": True}]
