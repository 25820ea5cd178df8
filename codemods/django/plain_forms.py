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

A plain class of the module before `forms.Form` in the bases (spirit's CleanEmailMixin, whose
`clean_email` queries) lends its methods the form does not define: they are read as the form's
own (`with_mixins`), so a querying one is translated onto the twin too.

A form gets no twin when one of its fields queries its choices (ModelChoiceField), when its
`__init__` queries, when a base is not a plain class of its module, or when a method's queries
do not all translate to one models module.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.django.form_methods import ModelFields, method_plans
from codemods.django.model_relations import read_relations

PLAIN_FORMS = frozenset({"forms.Form", "Form"})
NO_MODEL = ModelFields(frozenset(), frozenset())


def is_plain_form(form: ast.ClassDef) -> bool:
    """A class built on Django's `forms.Form`, last of its bases (the others: mixins)."""
    bases = [ast.unparse(base) for base in form.bases]
    return bool(bases) and bases[-1] in PLAIN_FORMS and not set(bases[:-1]) & PLAIN_FORMS


def with_mixins(source: cst.Module, form: str) -> cst.Module | str:
    """`source` with plain form `form` holding, after its own, the methods of its mixins (plain
    classes of the module, the first base's first) it does not define; or why not."""
    classes = {s.name.value: s for s in source.body if isinstance(s, cst.ClassDef)}
    node = classes[form]
    own = {s.name.value for s in node.body.body if isinstance(s, cst.FunctionDef)}
    lent: list[cst.BaseStatement] = []
    for base in node.bases[:-1]:
        mixin = classes.get(base.value.value) if isinstance(base.value, cst.Name) else None
        if mixin is None or mixin.bases or not isinstance(mixin.body, cst.IndentedBlock):
            return f"form {form}: a base is not a plain class of its module"
        for statement in mixin.body.body:
            if isinstance(statement, cst.FunctionDef):
                if "super(" in cst.Module(body=[statement]).code:  # the twin's MRO differs
                    return f"form {form}: method {statement.name.value} of its base calls super()"
                if statement.name.value not in own:
                    own.add(statement.name.value)
                    lent.append(statement)
            elif not _docstring(statement):
                return f"form {form}: its base {mixin.name.value} has more than methods"
    assert isinstance(node.body, cst.IndentedBlock)
    merged = node.with_changes(body=node.body.with_changes(body=[*node.body.body, *lent]))
    return source.with_changes(body=[merged if s is node else s for s in source.body])


def _docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString)
    )


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
    merged = with_mixins(source, name)
    if isinstance(merged, str):
        return [merged]
    plans, reasons = method_plans(merged, name, imports, models_sources, NO_MODEL, None)
    return reasons + _manager_reads(merged, name, {p.name for p in plans}, models_sources)


def _manager_reads(
    source: cst.Module, form: str, copied: set[str], models_sources: list[str]
) -> list[str]:
    """The form's methods left to run as the legacy form's (its `__init__`, those the twin does
    not copy) that read a related manager (`poll.poll_choices.unremoved()`): given a SQLAlchemy
    row, they would query on Django's ORM, or fail."""
    from codemods.django.querysets import instance_sets  # it imports helper_twins, and this

    managers = set(instance_sets(read_relations(models_sources)))
    node = next(s for s in source.body if isinstance(s, cst.ClassDef) and s.name.value == form)
    found = []
    for statement in node.body.body:
        if not isinstance(statement, cst.FunctionDef) or statement.name.value in copied:
            continue
        code = ast.parse(cst.Module(body=[statement]).code)
        attributes = {
            n.attr
            for n in ast.walk(code)
            if isinstance(n, ast.Attribute) and ast.unparse(n.value) != "self"
        }  # `self.poll_choices` is the form's own attribute, no manager
        read = sorted(attributes & managers)
        if read:
            found.append(
                f"form {form}: method {statement.name.value} reads the related manager "
                f"{read[0]}, on Django's ORM"
            )
    return found
