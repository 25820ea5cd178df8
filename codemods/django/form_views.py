"""A `CreateView`/`UpdateView` whose ModelForm can save SQLAlchemy rows: its `form_class` gets a
twin on the runtime's `SessionModelForm` (helper_twins.form_twin_reasons decides), its
`form_valid` only sets fields of the instance from the request's user, and it knows where to
redirect (`success_url`, or a `get_absolute_url` the generated model keeps). class_rows.py asks
this for the form generics; the class then gets `SelectedForm` (runtime selected_form.py) first
in its bases and its `form_class` becomes the twin:

    class TagCreate(CreateView):
        form_class = TagForm
        success_url = reverse_lazy("tags")
->  class TagCreate(SelectedForm, CreateView):
        form_class = TagFormWithSession
        success_url = reverse_lazy("tags")
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath
from codemods.django.analysis import _imports as imports_of
from codemods.django.helper_twins import (
    HelperCall,
    form_meta,
    form_twin_reasons,
    relative_import,
)
from codemods.engine.parsed import parse_ast_shared

FORM_GENERICS = frozenset({"CreateView", "UpdateView"})
MIXIN = "SelectedForm"
RUNTIME = "codemods.runtime.django.selected_form"
USER = "self.request.user"


@dataclass
class FormViewPlan:
    """The form side of a form view: its twin, the model of its form, or the reasons."""

    reasons: list[str] = field(default_factory=list)
    twin: HelperCall | None = None  # the form_class's twin (None: `fields` on the model)
    model: str | None = None  # the form's Meta.model, as its module names it
    owner: str | None = None  # the dotted module that model is imported from there


def form_view_plan(
    analysis: DjangoAnalysis, module: ModulePath, name: str, node: cst.ClassDef
) -> FormViewPlan:
    """Why the form view `name` of `module` (its class `node`) keeps Django's ORM, else its
    form's twin."""
    plan = FormViewPlan()
    info = analysis.classes.get((module, name))
    body = ast.parse(cst.Module(body=[node]).code).body[0]
    assert isinstance(body, ast.ClassDef)
    assigned = {
        t.id: s.value
        for s in body.body
        if isinstance(s, ast.Assign)
        for t in s.targets
        if isinstance(t, ast.Name)
    }
    for statement in body.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and (
            statement.name != "form_valid" or not _sets_user_only(statement)
        ):
            plan.reasons.append(
                f"{name}: {statement.name}() is overridden (only a form_valid setting "
                f"form.instance fields from {USER} is converted)"
            )
    plan.reasons += _mixin_overrides(analysis, module, name)
    form = info.form_class if info is not None else None
    if form is None:
        plan.reasons.append(f"{name}: no form_class of its own (a `fields` form is not converted)")
    elif form.module is None:
        plan.reasons.append(f"{name}: form {form.name} is outside SRC")
    else:
        plan.reasons += _form_reasons(analysis, form.module, form.name, plan)
    if "success_url" not in assigned and plan.model is not None:
        plan.reasons += _absolute_url_reasons(analysis, name, plan.model)
    return plan


# the form view's methods SelectedForm overrides or relies on Django's for
FORM_METHODS = frozenset({"get_success_url", "form_valid", "get_form_class", "get_form"})


def _mixin_overrides(analysis: DjangoAnalysis, module: ModulePath, name: str) -> list[str]:
    """A mixin of SRC among the view's bases defining a form method: `SelectedForm`, first in
    the bases, would come before it (its `get_success_url`) or the method may save otherwise."""
    found: list[str] = []
    seen: set[tuple[ModulePath, str]] = set()
    pending = (
        [base for base in analysis.classes[(module, name)].bases]
        if ((module, name) in analysis.classes)
        else []
    )
    while pending:
        base = pending.pop()
        if base.module is None or (base.module, base.name) in seen:
            continue
        seen.add((base.module, base.name))
        info = analysis.classes.get((base.module, base.name))
        if info is None:
            continue
        found += [
            f"{name}: its base {base.name} defines {method}()"
            for method in info.methods
            if method in FORM_METHODS
        ]
        pending += info.bases
    return found


def _sets_user_only(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`form.instance.<field> = self.request.user` lines, then `return
    super().form_valid(form)`: the form's Django instance takes the user before it is saved."""
    if isinstance(function, ast.AsyncFunctionDef) or function.decorator_list:
        return False
    args = [a.arg for a in function.args.args]
    if len(args) != 2 or function.args.vararg or function.args.kwarg:
        return False
    form = args[1]
    *settings, last = function.body
    if ast.unparse(last) != f"return super().form_valid({form})":
        return False
    for statement in settings:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Attribute)
            and ast.unparse(statement.targets[0].value) == f"{form}.instance"
            and ast.unparse(statement.value) == USER
        ):
            return False
    return True


def _form_reasons(
    analysis: DjangoAnalysis, module: ModulePath, name: str, plan: FormViewPlan
) -> list[str]:
    assert analysis.root is not None
    try:
        text = Path(analysis.root, *module).read_text(encoding="utf-8")
        source = analysis.parsed.parse(text)
        tree = parse_ast_shared(text)  # read only, as the analysis's own reading of the form
    except (OSError, UnicodeDecodeError, SyntaxError, cst.ParserSyntaxError):
        return [f"form {name}: its module does not parse"]
    found = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
    if found is None:
        return [f"form {name} is not a module-level class of its module"]
    imports = imports_of(module, tree)
    info = analysis.classes.get((module, name))
    reasons = [f"form {name}: {r}" for r in (info.outside_queries if info else ())]
    reasons += form_twin_reasons(
        found, imports, analysis.models_sources, source, analysis.managers_sources
    )
    meta = form_meta(found, tree)
    model = next(
        (
            s.value.id
            for s in (meta.body if meta is not None else ())
            if isinstance(s, ast.Assign)
            and ast.unparse(s.targets[0]) == "model"
            and isinstance(s.value, ast.Name)
        ),
        None,
    )
    if model is None or model not in imports:
        return reasons or [f"form {name}: Meta.model is not a model of SRC"]
    plan.model, plan.owner = model, imports[model].rpartition(".")[0]
    if not reasons:
        plan.twin = HelperCall(name, module, name, form=True)
    return reasons


def _absolute_url_reasons(analysis: DjangoAnalysis, name: str, model: str) -> list[str]:
    """Without `success_url`, Django redirects to the object's `get_absolute_url()`: the
    generated row must keep it (a model method calling no queryset method)."""
    from codemods.django.class_rows import model_facts  # class_rows imports this module

    facts = model_facts(analysis).get(model)
    if facts is None or "get_absolute_url" not in facts.methods:
        return [
            f"{name}: no success_url, and {model}'s get_absolute_url is not kept on its "
            "generated row"
        ]
    return []


def twin_import(view_module: ModulePath, twin: HelperCall) -> tuple[str, int]:
    """(module, level) of the relative import of the form's twin in the view's output."""
    return relative_import(view_module, twin.module)
