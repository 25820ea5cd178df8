"""A ModelForm of another module whose model is the user (`User = get_user_model()`, `model =
User`) saves through Django's ORM: a view handing it a row keeps Django's ORM, named."""

from __future__ import annotations

from pathlib import Path

from codemods.django.plans import plan
from tests.codemods.django.support import project_analysis, write_project

FILES = {
    "__init__.py": "",
    "people/__init__.py": "",
    "people/models.py": """
        from django.conf import settings
        from django.db import models


        class Profile(models.Model):
            user = models.OneToOneField(
                settings.AUTH_USER_MODEL, related_name="st", on_delete=models.CASCADE
            )
            location = models.CharField(max_length=20, blank=True)
        """,
    "people/forms.py": """
        from django import forms
        from django.contrib.auth import get_user_model

        User = get_user_model()


        class UserForm(forms.ModelForm):
            class Meta:
                model = User
                fields = ("username", "email")
        """,
    "people/views.py": """
        from django.contrib.auth import get_user_model
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404

        from .forms import UserForm

        User = get_user_model()


        def edit(request, pk):
            user = get_object_or_404(User, pk=pk)
            form = UserForm(data=request.POST or None, instance=user)
            if form.is_valid():
                form.save()
            return JsonResponse({"location": user.st.location})
        """,
    "people/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("<int:pk>/", views.edit)]
        """,
}


def test_a_view_saving_a_model_form_of_the_user_keeps_djangos_orm(tmp_path: Path) -> None:
    analysis = project_analysis(write_project(tmp_path / "site", FILES))
    found = next(p for p in analysis.patterns if p.view.name == "edit")
    result = plan(analysis, found)

    assert str(result.status) == "partial"
    assert any(
        "it calls UserForm (people.forms), which queries on Django's ORM" in r
        for r in result.reasons
    ), result.reasons
