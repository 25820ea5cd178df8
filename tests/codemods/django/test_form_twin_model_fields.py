"""What a ModelForm's twin needs of its model (helper_twins.form_twin_reasons): an encrypted
field (django-cryptography's `encrypt(models.CharField())`, a column read and written through
Django's own field) is one it can take; a model whose own `save()` a generated row cannot run
(it queries, and its queries have no twin: save_twins.py) keeps the form Django's, as the twin's
save would skip that code."""

from __future__ import annotations

import ast
import textwrap

from codemods.django.helper_twins import form_twin_reasons

FORMS = """
    from django import forms

    from blog.models import Connection


    class ConnectionForm(forms.ModelForm):
        class Meta:
            model = Connection
            fields = "__all__"
"""
MODEL = """
    from django.db import models
    from django_cryptography.fields import encrypt


    class Connection(models.Model):
        alias = models.CharField(max_length=40)
        host = encrypt(models.CharField(max_length=255, blank=True))
        default = models.BooleanField(default=False)
"""
QUERYING_SAVE = """

        def save(self, *args, **kwargs):
            if self.default:
                Connection.objects.filter(default=True).update(default=False)
            super().save(*args, **kwargs)
"""
OTHER_WRAPPER = MODEL.replace(
    "from django_cryptography.fields import encrypt", "from .crypto import encrypt"
)


def reasons(model: str) -> list[str]:
    tree = ast.parse(textwrap.dedent(FORMS))
    form = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    imports = {"forms": "django.forms", "Connection": "blog.models.Connection"}
    return form_twin_reasons(form, imports, [textwrap.dedent(model)])


def test_a_form_taking_an_encrypted_field_gets_a_twin() -> None:
    assert reasons(MODEL) == []


def test_a_field_wrapped_in_another_call_keeps_the_form_djangos() -> None:
    assert reasons(OTHER_WRAPPER) == [
        "form ConnectionForm: the model's fields it takes include host, a field wrapped in a "
        "call the codemod does not read"
    ]


def test_a_model_whose_own_save_queries_through_a_twin_gets_a_form_twin() -> None:
    # the twin's save runs the model's save_with_session (save_twins.py)
    assert reasons(MODEL + QUERYING_SAVE) == []


def test_a_model_whose_own_save_has_no_twin_keeps_the_form_djangos() -> None:
    untranslated = QUERYING_SAVE.replace(
        "            super().save(*args, **kwargs)\n",
        "            super().save(*args, **kwargs)\n            self.alias = ''\n",
    )
    assert reasons(MODEL + untranslated) == [
        "form ConnectionForm: model Connection's own save() runs on Django's ORM (the twin's "
        "save would not run it): its last statement is not the parent's save()"
    ]
