"""Which plain `forms.Form` classes get a twin on the runtime's SessionForm (plain_forms.py):
the reasons a form keeps Django's ORM, read from its module."""

from __future__ import annotations

import ast
from textwrap import dedent

import libcst as cst

from codemods.django.helper_twins import form_twin_reasons

MODELS = dedent(
    """
    from django.db import models


    class Note(models.Model):
        title = models.CharField(max_length=20)
    """
)
IMPORTS = {"Note": "notes.models.Note", "forms": "django.forms"}


def reasons(code: str, form: str) -> list[str]:
    source = dedent(code)
    found = next(
        n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == form
    )
    return form_twin_reasons(found, IMPORTS, [MODELS], cst.parse_module(source))


def test_a_plain_form_whose_clean_field_queries_a_model_gets_a_twin() -> None:
    code = """
        from django import forms
        from .models import Note

        class FindForm(forms.Form):
            title = forms.CharField()

            def clean_title(self):
                if not Note.objects.filter(title=self.cleaned_data["title"]).exists():
                    raise forms.ValidationError("none")
                return self.cleaned_data["title"]
    """
    assert reasons(code, "FindForm") == []


def test_a_plain_form_with_a_model_choice_field_keeps_django_s_orm() -> None:
    code = """
        from django import forms
        from .models import Note

        class PickForm(forms.Form):
            note = forms.ModelChoiceField(queryset=Note.objects.all())
    """
    assert reasons(code, "PickForm") == [
        "form PickForm: field ModelChoiceField queries its choices"
    ]


def test_a_plain_form_whose_init_queries_keeps_django_s_orm() -> None:
    code = """
        from django import forms
        from .models import Note

        class CountForm(forms.Form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.count = Note.objects.count()
    """
    assert reasons(code, "CountForm") == ["form CountForm: its __init__ queries on Django's ORM"]


def test_a_mixin_of_the_module_lends_its_querying_method() -> None:
    code = """
        from django import forms
        from .models import Note

        class TitleMixin:
            def clean_title(self):
                if Note.objects.filter(title=self.cleaned_data["title"]).exists():
                    raise forms.ValidationError("taken")
                return self.cleaned_data["title"]

        class TitleForm(TitleMixin, forms.Form):
            title = forms.CharField()
    """
    assert reasons(code, "TitleForm") == []


def test_a_mixin_method_calling_super_keeps_django_s_orm() -> None:
    code = """
        from django import forms
        from .models import Note

        class CleanMixin:
            def clean(self):
                data = super().clean()
                Note.objects.filter(title=data["title"]).exists()
                return data

        class TitleForm(CleanMixin, forms.Form):
            title = forms.CharField()
    """
    assert reasons(code, "TitleForm") == ["form TitleForm: method clean of its base calls super()"]


def test_a_base_that_is_not_a_class_of_the_module_keeps_django_s_orm() -> None:
    code = """
        from django import forms
        from other import Mixin

        class TitleForm(Mixin, forms.Form):
            title = forms.CharField()
    """
    assert reasons(code, "TitleForm") == [
        "form TitleForm: a base is not a plain class of its module"
    ]


RELATED_MODELS = dedent(
    """
    from django.db import models


    class Poll(models.Model):
        title = models.CharField(max_length=20)


    class Choice(models.Model):
        poll = models.ForeignKey(Poll, related_name="poll_choices", on_delete=models.CASCADE)
        description = models.CharField(max_length=20)
    """
)


def test_an_init_reading_a_related_manager_of_its_argument_keeps_django_s_orm() -> None:
    source = dedent(
        """
        from django import forms

        class VoteForm(forms.Form):
            def __init__(self, poll, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.poll_choices = poll.poll_choices.all()
                choices = [(c.pk, c.description) for c in self.poll_choices]
                self.fields["choices"] = forms.ChoiceField(choices=choices)
        """
    )
    found = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    assert form_twin_reasons(
        found, {"forms": "django.forms"}, [RELATED_MODELS], cst.parse_module(source)
    ) == ["form VoteForm: method __init__ reads the related manager poll_choices, on Django's ORM"]
