"""Helpers of other modules that a converted function view can call as translated twins.

A view calling `toggle_task_completed(task.id)`, a function of another module of SRC that queries
through Django's ORM, runs that query on Django's ORM too. When the helper's own queries are all
in the query mapping (view_queries.py decides, as for a view), the generated twin of its module
gets a translated copy beside the legacy function, named `<name>_with_session` and taking the
view's session as a keyword:

    def toggle_task_completed_with_session(task_id: int, *, session: Session) -> bool:
        task = get_one(session, select(tables.Task).where(tables.Task.id == task_id), Task)

and the view calls it (`toggle_task_completed_with_session(task.id, session=session)`), imported
relatively from the generated module. The legacy function stays as it was, so every other caller
(a view staying on the ORM, a form, a command) keeps calling it unchanged.

A helper gets a twin only when it is a plain module-level function called by its imported name,
with no decorator, whose queries all translate to one models module, and which calls no querying
code of its own module or of another one; anything else keeps the view on Django's ORM, with the
reason.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from codemods.django.managers import read_managers
from codemods.django.model_relations import read_relations
from codemods.django.orm_use import model_names, orm_views
from codemods.django.view_queries import ViewQueries, module_view_queries, used_modules

ModulePath = tuple[str, ...]
TWIN_SUFFIX = "_with_session"


def twin_name(name: str) -> str:
    return f"{name}{TWIN_SUFFIX}"


@dataclass(frozen=True)
class HelperCall:
    """A call of a view to a helper of another module that gets a translated twin."""

    local: str  # the name the view calls it by (`toggle_task_completed`)
    module: ModulePath  # the helper's module under SRC (`("utils.py",)`)
    name: str  # the function's name in that module

    @property
    def twin(self) -> str:
        return twin_name(self.name)


def model_owners(imports: dict[str, str]) -> dict[str, str]:
    """Local model name -> the dotted models module it comes from."""
    return {local: imports[local].rpartition(".")[0] for local in model_names(imports)}


def helper_plan(
    tree: cst.Module,
    name: str,
    imports: dict[str, str],
    models_sources: list[str],
) -> ViewQueries | None:
    """The translation of function `name` of `tree` (a module whose imports, made relative to
    SRC, are `imports`), planned as a view's; None when it is not a module-level function that
    queries."""
    function = next(
        (s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None
    )
    if function is None:
        return None
    querying = orm_views(ast.parse(tree.code), imports)
    if name not in querying:
        return None
    plans = module_view_queries(
        tree,
        {name},
        model_names(imports),
        querying,
        read_relations(models_sources),
        model_owners(imports),
        read_managers(models_sources),
    )
    return plans.get(name)


def twin_reasons(
    tree: cst.Module, name: str, imports: dict[str, str], models_sources: list[str]
) -> list[str]:
    """Why function `name` of `tree` gets no translated twin (empty: it gets one)."""
    function = next(
        (s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None
    )
    if function is None:
        return [f"{name} is not a module-level function"]
    if function.decorators:
        return [f"{name} is decorated"]
    if function.asynchronous is not None:
        return [f"{name} is async"]
    plan = helper_plan(tree, name, imports, models_sources)
    if plan is None:
        return [f"{name}: its queries were not found"]
    reasons = list(plan.reasons)
    if plan.helpers:
        reasons.append(f"{name} calls {', '.join(sorted(plan.helpers))} of its module, which query")
    if len(used_modules(plan, model_owners(imports))) > 1:
        reasons.append(f"{name}: its queries' models come from more than one models module")
    return list(dict.fromkeys(reasons))
