"""Rule `django-helper-twins` on ModelForms: a view handing its data to a ModelForm of another
module whose fields' validation queries nothing uses the form's twin on the runtime's
`SessionModelForm` (`NoteFormWithSession`, in the forms module's output), given the view's
session; `form.save()` stays the form's. The form's own `save()` and querying methods are
translated onto the twin (form_methods.py). Any other form keeps the view on Django's ORM, naming
the form and why."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent, indent

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


    class Pin(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        note = models.ForeignKey(Note, on_delete=models.CASCADE)
        label = models.CharField(max_length=20, blank=True)
        date = models.DateTimeField(auto_now_add=True)
"""
FORMS = """
    from django import forms

    from ..tags.models import Tag
    from .models import Note, Pin


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


    class PinForm(forms.ModelForm):
        class Meta:
            model = Pin
            fields = ["label"]

        def __init__(self, user=None, note=None, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.user = user
            self.note = note
            self.fields["label"].widget.attrs["placeholder"] = "Why?"

        def clean(self):
            cleaned_data = super().clean()
            if Pin.objects.filter(owner=self.user, note=self.note).exists():
                raise forms.ValidationError("already pinned")
            return cleaned_data

        def save(self, commit=True):
            if not self.instance.pk:
                self.instance.owner = self.user
                self.instance.note = self.note
            return super().save(commit)


    class LabelPinForm(forms.ModelForm):
        class Meta:
            model = Pin
            fields = ["label"]


    class NotePinForm(LabelPinForm):
        def __init__(self, note=None, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.note = note

        def save(self, commit=True):
            self.instance.note = self.note
            return super().save(commit)


    class LookupNoteForm(forms.ModelForm):
        class Meta:
            model = Note
            fields = ["title"]

        def clean_title(self):
            if Note.objects.filter(title__iexact=self.cleaned_data["title"]).exists():
                raise forms.ValidationError("taken")
            return self.cleaned_data["title"]


    class OwnerPinForm(forms.ModelForm):
        class Meta:
            model = Pin
            fields = ["label"]

        def save(self, commit=True):
            self.instance.label = self.instance.owner.username
            return super().save(commit)


    class TaggedPinForm(forms.ModelForm):
        class Meta:
            model = Pin
            fields = ["label"]

        def clean_label(self):
            if not Tag.objects.filter(name=self.cleaned_data["label"]).exists():
                raise forms.ValidationError("no such tag")
            return self.cleaned_data["label"]


    class ShoutMixin:
        '''Titles in capitals.'''

        def clean_title(self):
            return self.cleaned_data["title"].upper()


    class ShoutNoteForm(ShoutMixin, forms.ModelForm):
        class Meta:
            model = Note
            exclude = ["owner", "pinned"]


    class AllNoteForm(forms.ModelForm):
        class Meta:
            model = Note
            exclude = ["title"]


    class OwnedPinForm(forms.ModelForm):
        class Meta:
            model = Pin
            fields = ["label"]

        def __init__(self, user=None, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.instance.owner = user


    class UniqueTitleMixin:
        def clean_title(self):
            if Note.objects.filter(title=self.cleaned_data["title"]).exists():
                raise forms.ValidationError("taken")
            return self.cleaned_data["title"]


    class TitleCheckForm(UniqueTitleMixin, forms.Form):
        title = forms.CharField()


    class ListedPinForm(forms.ModelForm):
        class Meta:
            model = Pin
            fields = ["label"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.count = Pin.objects.count()
"""
VIEWS = """
    from django.shortcuts import get_object_or_404, redirect, render

    from .forms import CheckedNoteForm, ListedPinForm, LookupNoteForm, NoteForm, OwnedNoteForm
    from .forms import AllNoteForm, NotePinForm, OwnedPinForm, OwnerPinForm, PinForm
    from .forms import ShoutNoteForm, TaggedPinForm, TitleCheckForm
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


    def pin(request, pk):
        note = get_object_or_404(Note, pk=pk)
        form = PinForm(user=request.user, note=note, data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "notes/edit.html", {"form": form})


    def note_pin(request, pk):
        note = get_object_or_404(Note, pk=pk)
        form = NotePinForm(note=note, data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "notes/edit.html", {"form": form})


    def lookup(request):
        return render(request, "notes/edit.html", {"form": LookupNoteForm()})


    def owner_pin(request):
        return render(request, "notes/edit.html", {"form": OwnerPinForm()})


    def tagged_pin(request):
        return render(request, "notes/edit.html", {"form": TaggedPinForm()})


    def shout(request):
        return render(request, "notes/edit.html", {"form": ShoutNoteForm()})


    def all_fields(request):
        return render(request, "notes/edit.html", {"form": AllNoteForm()})


    def owned_pin(request):
        return render(request, "notes/edit.html", {"form": OwnedPinForm(user=request.user)})


    def title_check(request):
        form = TitleCheckForm(data=request.GET)
        return render(request, "notes/edit.html", {"valid": form.is_valid()})


    def listed_pin(request):
        return render(request, "notes/edit.html", {"form": ListedPinForm()})
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("<int:pk>/edit/", views.edit),
        path("owned/", views.owned),
        path("checked/", views.checked),
        path("<int:pk>/pin/", views.pin),
        path("<int:pk>/note-pin/", views.note_pin),
        path("lookup/", views.lookup),
        path("owner-pin/", views.owner_pin),
        path("listed-pin/", views.listed_pin),
        path("tagged-pin/", views.tagged_pin),
        path("shout/", views.shout),
        path("title-check/", views.title_check),
        path("owned-pin/", views.owned_pin),
        path("all/", views.all_fields),
    ]
"""


TAGS = """
    from django.db import models


    class Tag(models.Model):
        name = models.CharField(max_length=20)
"""


def project(tmp_path: Path) -> Path:
    files = {"__init__.py": "", "notes/__init__.py": "", "notes/models.py": MODELS}
    files |= {"tags/__init__.py": "", "tags/models.py": TAGS}
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
    assert "from .forms import NoteFormWithSession, " in code
    assert "import save\n" not in code


def test_the_forms_module_gets_the_twin_on_session_model_form(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "notes/forms.py")  # every rule

    assert "from legacyproj.notes.forms import NoteForm as DjangoNoteForm, " in code
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
    assert "LookupNoteFormWithSession" not in code


def test_a_model_form_with_a_key_to_the_user_in_a_unique_together_is_converted(
    tmp_path: Path,
) -> None:
    # before: partial, "it calls OwnedNoteForm (notes.forms), which queries on Django's ORM"
    # (the key to auth's User and the unique_together are now the twin's, on the session)
    assert route(project(tmp_path), "owned") == ("converted", [])


def test_a_model_form_querying_in_its_clean_methods_is_converted(tmp_path: Path) -> None:
    # before: "form CheckedNoteForm: method clean_title is not converted yet"
    assert route(project(tmp_path), "checked") == ("converted", [])


def test_a_clean_method_s_queries_run_on_the_twin_through_the_form_s_session(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "notes/forms.py")

    assert (
        dedent(
            '''
            class CheckedNoteFormWithSession(SessionModelForm, DjangoCheckedNoteForm):
                """The Django form CheckedNoteForm, reading and saving SQLAlchemy rows."""

                table = tables.Note

                def clean_title(self):
                    session = self.session
                    if session.scalar(select(select(tables.Note).where(tables.Note.title == self.cleaned_data["title"]).exists())):
                        raise forms.ValidationError("taken")
                    return self.cleaned_data["title"]
            '''  # noqa: E501
        )
        in code
    )


def test_a_model_form_with_arguments_a_querying_clean_and_its_own_save_is_converted(
    tmp_path: Path,
) -> None:
    # before: "form PinForm: method clean is not converted yet"
    assert route(project(tmp_path), "pin") == ("converted", [])


def test_the_twin_translates_clean_and_save_and_sets_relations_by_their_keys(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "notes/forms.py")

    twin = code.split("class PinFormWithSession(SessionModelForm, DjangoPinForm):")[1]
    assert (
        indent(
            dedent(
                """
            def clean(self):
                session = self.session
                cleaned_data = super(DjangoPinForm, self).clean()
                if session.scalar(select(select(tables.Pin).where(tables.Pin.owner_id == pk_of(self.user), tables.Pin.note_id == pk_of(self.note)).exists())):
                    raise forms.ValidationError("already pinned")
                return cleaned_data

            def save(self, commit=True):
                if not self.instance.pk:
                    self.instance.owner_id = pk_of(self.user)
                    self.instance.note_id = pk_of(self.note)
                return super().save(commit)
            """  # noqa: E501
            ),
            "    ",
        )
        in twin
    )
    assert "def __init__" not in twin  # Django's runs, as written


def test_the_view_passes_the_form_s_own_arguments_and_its_session(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "notes/views.py", [HelperTwinsRule])

    assert (
        "form = PinFormWithSession(user=request.user, note=note, data=request.POST or None, "
        "session=session)" in code
    )


def test_a_form_subclassing_a_model_form_of_its_module_is_converted(tmp_path: Path) -> None:
    # before: "NotePinForm is not a ModelForm built on ModelForm alone"
    assert route(project(tmp_path), "note_pin") == ("converted", [])


def test_the_subclass_s_twin_takes_the_model_from_the_parent_s_meta(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "notes/forms.py")

    twin = code.split("class NotePinFormWithSession(SessionModelForm, DjangoNotePinForm):")[1]
    assert "    table = tables.Pin\n" in twin
    assert "        self.instance.note_id = pk_of(self.note)\n" in twin


def test_a_clean_method_with_a_query_out_of_the_mapping_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "lookup")

    assert status == "partial"
    assert any(
        "LookupNoteForm gets no translated twin: form LookupNoteForm: method clean_title: "
        in reason
        for reason in why
    )


def test_a_method_reading_a_relation_of_the_instance_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "owner_pin")

    assert status == "partial"
    assert any(
        "form OwnerPinForm: method save reads self.instance.owner, not a column (Django may "
        "load it through its ORM)" in reason
        for reason in why
    )


def test_a_method_querying_another_models_module_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "tagged_pin")

    assert status == "partial"
    assert any(
        "form TaggedPinForm: method clean_label queries models of another models module than "
        "Pin's" in reason
        for reason in why
    )


def test_a_form_with_a_mixin_of_methods_and_meta_exclude_is_converted(tmp_path: Path) -> None:
    # before: "ShoutNoteForm is not a ModelForm built on ModelForm alone"
    assert route(project(tmp_path), "shout") == ("converted", [])


def test_meta_exclude_leaving_a_relation_gives_the_twin_its_choice(tmp_path: Path) -> None:
    # before (no choice of auth's User): "AllNoteForm gets no translated twin: form
    # AllNoteForm: field owner (ForeignKey) is validated by a query"
    root = project(tmp_path)
    assert route(root, "all_fields") == ("converted", [])
    code, _ = convert_module(root, "notes/forms.py")
    twin = code[code.index("class AllNoteFormWithSession") :]
    assert '"owner": lambda form: select(tables.User),' in twin[: twin.index("\n\n\n")]


def test_an_init_setting_a_relation_of_the_instance_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "owned_pin")

    assert status == "partial"
    assert any("form OwnedPinForm: its __init__ sets a relation of self.instance" in r for r in why)


def test_a_plain_form_whose_mixin_queries_gets_a_twin_and_its_view_is_converted(
    tmp_path: Path,
) -> None:
    # the mixin's query was once unseen (`converted` on Django's ORM), then kept the view
    # `partial`; the plain form's twin now runs it on the session (plain_forms.py)
    assert route(project(tmp_path), "title_check") == ("converted", [])


def test_an_init_that_queries_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    status, why = route(project(tmp_path), "listed_pin")

    assert status == "partial"
    assert any("form ListedPinForm: its __init__ queries on Django's ORM" in r for r in why)


def with_models(tmp_path: Path, old: str, new: str) -> Path:
    root = project(tmp_path)
    models = (root / "notes/models.py").read_text()
    assert old in models
    (root / "notes/models.py").write_text(models.replace(old, new))
    return root


def test_a_unique_together_of_the_forms_fields_is_checked_by_the_twin(tmp_path: Path) -> None:
    root = with_models(
        tmp_path, 'unique_together = ("owner", "title")', 'unique_together = ("title",)'
    )

    assert route(root, "edit") == ("converted", [])


def test_a_unique_field_of_the_form_is_checked_by_the_twin(tmp_path: Path) -> None:
    root = with_models(
        tmp_path,
        "title = models.CharField(max_length=80)",
        "title = models.CharField(max_length=80, unique=True)",
    )

    assert route(root, "edit") == ("converted", [])


def test_a_unique_constraint_of_the_forms_fields_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    root = with_models(
        tmp_path,
        'unique_together = ("owner", "title")',
        'constraints = [models.UniqueConstraint(fields=["title"], name="one_title")]',
    )

    status, why = route(root, "edit")

    assert status == "partial"
    assert any("form NoteForm: model Note's constraint models.UniqueConstraint" in r for r in why)


def test_a_unique_for_date_field_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    root = with_models(
        tmp_path,
        "title = models.CharField(max_length=80)",
        'title = models.CharField(max_length=80, unique_for_date="created")',
    )

    status, why = route(root, "edit")

    assert status == "partial"
    assert any(
        "form NoteForm: field title (CharField) has unique_for_date, checked by a query" in r
        for r in why
    )
