"""Twins of plain `forms.Form` classes that query (spirit's ResendActivationForm: a
`clean_email` looking the address up among the users).

A plain form has no model: Django's form does everything but its own querying methods. Its twin
(`XWithSession(SessionForm, DjangoX)`, runtime session_form.py) holds those methods translated
onto the form's session, as a ModelForm's twin does (form_methods.py, with no model and no save
of the runtime's), and takes the rest from the legacy form:

    class ResendActivationForm(forms.Form):
        email = forms.CharField(max_length=254)

        def clean_email(self):
            if not User.objects.filter(email=self.cleaned_data["email"]).exists(): ...
->  class ResendActivationFormWithSession(SessionForm, DjangoResendActivationForm):
        def clean_email(self):
            session = self.session
            if not exists(session, select(tables.User).where(...)): ...

A form gets no twin when one of its fields queries its choices (ModelChoiceField), when its
`__init__` queries, or when a method's queries do not all translate to one models module.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.django.form_methods import ModelFields, method_plans

PLAIN_FORMS = frozenset({"forms.Form", "Form"})
NO_MODEL = ModelFields(frozenset(), frozenset())


def is_plain_form(form: ast.ClassDef) -> bool:
    """A class built on Django's `forms.Form` alone."""
    return [ast.unparse(base) for base in form.bases] in ([b] for b in PLAIN_FORMS)


def plain_form_reasons(
    form: ast.ClassDef,
    imports: dict[str, str],
    models_sources: list[str],
    source: cst.Module,
    querying_fields: frozenset[str],
) -> list[str]:
    """Why plain form `form` of module `source` (its imports relative to SRC `imports`) gets no
    twin on `SessionForm` (empty: it gets one)."""
    name = form.name
    for statement in form.body:
        if isinstance(statement, ast.FunctionDef):
            continue
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            kind = ast.unparse(statement.value.func).rsplit(".", 1)[-1]
            if kind in querying_fields:
                return [f"form {name}: field {kind} queries its choices"]
        elif not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)):
            return [f"form {name}: `{ast.unparse(statement)[:40]}` is not converted yet"]
    return method_plans(source, name, imports, models_sources, NO_MODEL, None)[1]
