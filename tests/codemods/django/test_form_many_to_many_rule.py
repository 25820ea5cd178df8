"""Rule `django-helper-twins` on a ModelForm's many-to-many field: the twin offers and checks its
choices through the session (all the related model's rows, in their Meta.ordering) and saves the
chosen links as Django's `save_m2m` does (codemods/runtime/django/forms.py), so the view is
converted; a many-to-many field with a `through=` model of its own keeps the view on the ORM."""

from __future__ import annotations

from pathlib import Path

from codemods.django.plans import plan
from tests.codemods.django.support import convert_module, project_analysis, write_project

MODELS = """
    from django.conf import settings
    from django.db import models


    class Label(models.Model):
        name = models.CharField(max_length=80)

        class Meta:
            ordering = ["name"]


    class Card(models.Model):
        text = models.CharField(max_length=80)
        labels = models.ManyToManyField(Label, blank=True)
        watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True)
        pinned = models.ManyToManyField(Label, through="Pin", related_name="pinned_on")


    class Pin(models.Model):
        card = models.ForeignKey(Card, on_delete=models.CASCADE)
        label = models.ForeignKey(Label, on_delete=models.CASCADE)
"""
FORMS = """
    from django import forms

    from .models import Card


    class LabelsForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["text", "labels", "watchers"]


    class PinsForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["text", "pinned"]
"""
VIEWS = """
    from django.shortcuts import redirect, render

    from .forms import LabelsForm, PinsForm


    def labels(request):
        form = LabelsForm(data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "cards/edit.html", {"form": form})


    def pins(request):
        return render(request, "cards/edit.html", {"form": PinsForm()})
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("labels/", views.labels), path("pins/", views.pins)]
"""


def project(tmp_path: Path) -> Path:
    files = {"__init__.py": "", "cards/__init__.py": "", "cards/models.py": MODELS}
    files |= {"cards/forms.py": FORMS, "cards/views.py": VIEWS, "cards/urls.py": URLS}
    return write_project(tmp_path / "site", files)


def route(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_model_form_with_many_to_many_fields_is_converted(tmp_path: Path) -> None:
    # before: "field labels (ManyToManyField) is validated by a query: the twin neither offers
    # a many-to-many field's rows on its session nor saves its links (save_m2m)"
    assert route(project(tmp_path), "labels") == ("converted", [])


def test_the_twin_offers_each_many_to_many_fields_rows_in_their_ordering(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "cards/forms.py")
    assert '"labels": lambda form: select(tables.Label).order_by(tables.Label.name),' in code
    assert '"watchers": lambda form: select(tables.User),' in code


def test_a_many_to_many_field_through_a_model_of_its_own_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "pins")
    assert status == "partial"
    assert any(
        "field pinned (ManyToManyField) is validated by a query: its links go through a model "
        "of its own (through=)" in reason
        for reason in why
    )
