"""Rule `django-helper-twins` on ModelForms: a view handing its data to a ModelForm of another
module whose validation queries nothing uses the form's twin on the runtime's `SessionModelForm`
(`NoteFormWithSession`, in the forms module's output), given the view's session; `form.save()`
stays the form's. Any other form keeps the view on Django's ORM, naming the form."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from codemods.django.rules.helper_twins import HelperTwinsRule
from tests.codemods.django.support import convert_module, project_analysis, write_project

MODELS = """
    from django.conf import settings
    from django.db import models


    class Note(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        title = models.CharField(max_length=80)
        body = models.TextField(blank=True)
        pinned = models.BooleanField(default=False)

        class Meta:
            unique_together = ("owner", "title")
"""
FORMS = """
    from django import forms

    from .models import Note


    class NoteForm(forms.ModelForm):
        class Meta:
            model = Note
            fields = ["title", "body", "pinned"]

        def __init__(self, user=None, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.user = user


    class OwnedNoteForm(forms.ModelForm):
        class Meta:
            model = Note
            fields = ["owner", "title"]


    class CheckedNoteForm(forms.ModelForm):
        class Meta:
            model = Note
            fields = ["title"]

        def clean_title(self):
            if Note.objects.filter(title=self.cleaned_data["title"]).exists():
                raise forms.ValidationError("taken")
            return self.cleaned_data["title"]
"""
VIEWS = """
    from django.shortcuts import get_object_or_404, redirect, render

    from .forms import CheckedNoteForm, NoteForm, OwnedNoteForm
    from .models import Note


    def edit(request, pk):
        note = get_object_or_404(Note, pk=pk)
        form = NoteForm(user=request.user, data=request.POST or None, instance=note)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "notes/edit.html", {"form": form})


    def owned(request):
        return render(request, "notes/edit.html", {"form": OwnedNoteForm()})


    def checked(request):
        return render(request, "notes/edit.html", {"form": CheckedNoteForm()})
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("<int:pk>/edit/", views.edit),
        path("owned/", views.owned),
        path("checked/", views.checked),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {"__init__.py": "", "notes/__init__.py": "", "notes/models.py": MODELS}
    files |= {"notes/forms.py": FORMS, "notes/views.py": VIEWS, "notes/urls.py": URLS}
    return write_project(tmp_path / "site", files)


def route(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_view_saving_a_model_form_that_queries_nothing_is_converted(tmp_path: Path) -> None:
    assert route(project(tmp_path), "edit") == ("converted", [])


def test_the_view_builds_the_forms_twin_with_its_session_and_saves_the_form(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "notes/views.py", [HelperTwinsRule])

    assert (
        dedent(
            """
        @django_view
        def edit(request: DjangoRequest, pk: int, session: Session = Depends(get_session)):
            note = get_or_404(session, select(tables.Note).where(tables.Note.id == pk))
            form = NoteFormWithSession(user=request.user, data=request.POST or None, instance=note, session=session)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("/")
            return render(request, "notes/edit.html", {"form": form})
        """  # noqa: E501
        )
        in code
    )
    assert "from .forms import CheckedNoteForm, OwnedNoteForm\n" not in code  # legacy, absolute
    assert "from .forms import NoteFormWithSession\n" in code
    assert "import save\n" not in code


def test_the_forms_module_gets_the_twin_on_session_model_form(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "notes/forms.py")  # every rule

    assert "from legacyproj.notes.forms import NoteForm as DjangoNoteForm\n" in code
    assert "from . import models as tables\n" in code
    assert (  # right after the form's Pydantic model
        dedent(
            '''
            class NoteFormWithSession(SessionModelForm, DjangoNoteForm):
                """The Django form NoteForm, reading and saving SQLAlchemy rows."""

                table = tables.Note
            '''
        )
        in code
    )
    assert "OwnedNoteFormWithSession" not in code and "CheckedNoteFormWithSession" not in code


def test_a_model_form_with_a_relation_field_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    status, why = route(project(tmp_path), "owned")

    assert status == "partial"
    assert (
        "stays on Django's ORM: it calls OwnedNoteForm (notes.forms), which queries on "
        "Django's ORM" in why
    )


def test_a_model_form_querying_in_its_clean_methods_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "checked")

    assert status == "partial"
    assert any("it calls CheckedNoteForm (notes.forms)" in reason for reason in why)


def test_a_unique_together_of_the_forms_fields_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path)
    models = (root / "notes/models.py").read_text()
    (root / "notes/models.py").write_text(
        models.replace('unique_together = ("owner", "title")', 'unique_together = ("title",)')
    )

    assert route(root, "edit")[0] == "partial"
