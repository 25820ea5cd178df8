"""The choices a ModelForm's `__init__` gives a foreign key, on the form's twin.

Django runs the form's `__init__`, which narrows a foreign key's choices to a queryset of its own:

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Category.objects.visible().parents().ordered()
        if self.instance.pk:
            queryset = queryset.exclude(pk=self.instance.pk)
        self.fields["parent"] = forms.ModelChoiceField(queryset=queryset, required=False)

The twin (`SessionModelForm`) runs that `__init__` too (its queryset is built, never evaluated),
then checks and lists the field through the session with the same statements translated, as a
method of the twin (its `choices` entry calls it):

    def _choices_of_parent(self):
        queryset = select(tables.Category).where(...).order_by(...)
        if self.instance.pk:
            queryset = queryset.where(not_(and_(tables.Category.id == self.instance.pk)))
        return queryset

`choice_function` writes that method in Django's terms, the statements of the `__init__` the
queryset is built from and `return list(<queryset>)`, for the query translation to read as a
helper's; `as_statement` makes the translated `return session.scalars(rows).all()` return the
statement itself. Read: `self.fields["f"].queryset = <queryset>` and `self.fields["f"] =
forms.ModelChoiceField(queryset=<queryset>, ...)`, after plain name assignments (under `if`s
too) the queryset is built from. A queryset built from the `__init__`'s named arguments
(`def __init__(self, user, *args, **kwargs)`) gives the method those parameters, and the twin's
`choices` entry passes the values the form was built with:
`lambda form: form._choices_of_group(form.init_arguments["user"])` (runtime forms.py). Anything
else keeps the form without a twin, with the reason: a field class of the project's own (it may
list its choices itself), a queryset built from `*args`/`**kwargs`, from a statement that is
no plain assignment, or set more than once.
"""

from __future__ import annotations

import ast
import copy
import textwrap

import libcst as cst

from codemods.django.view_queries import ViewQueries, used_modules
from codemods.engine.run_cache import kept_in_run

ROWS = "_rows"  # the variable the choice function's queryset ends in
STOCK_FIELDS = frozenset({"forms.ModelChoiceField", "ModelChoiceField"})


def method_name(field: str) -> str:
    return f"_choices_of_{field}"


def init_sets(form: ast.ClassDef, field: str) -> bool:
    """The form's `__init__` assigns `self.fields[field]` or one of its attributes."""
    init = _init(form)
    return init is not None and any(_field_of(target) == field for target in _targets(init))


def choice_function(
    form: ast.ClassDef, field: str, source: str | None = None
) -> tuple[str | None, str]:
    """The source of the twin's choice method of `field` in Django's terms (its queries to be
    translated; their code as written in `source`, the text `form` was parsed from), or None and
    why the `__init__`'s queryset cannot be read as one."""
    code, _, why = _choice_function(form, field, source)
    return code, why


def covered(form: ast.ClassDef, fields: set[str]) -> set[int]:
    """The statements of the form's `__init__` (indexes) that build the querysets of `fields`
    (their choice methods translate them): Django's ORM only builds them there, lazily."""
    found: set[int] = set()
    for field in fields:
        found |= _choice_function(form, field)[1]
    return found


def _choice_function(
    form: ast.ClassDef, field: str, source: str | None = None
) -> tuple[str | None, set[int], str]:
    init = _init(form)
    assert init is not None
    queryset: ast.expr | None = None
    found_at = -1
    for index, statement in enumerate(init.body):
        for target in _targets_of(statement):
            if _field_of(target) != field:
                continue
            if queryset is not None or not isinstance(statement, ast.Assign):
                return (
                    None,
                    set(),
                    f"its form's __init__ sets {field} more than once or under a condition",
                )
            queryset, why = _queryset_of(target, statement.value)
            if queryset is None:
                return None, set(), why
            found_at = index
    if queryset is None:
        return None, set(), f"its form's __init__ sets {field} otherwise than its queryset"
    needed = _names(queryset)
    kept: list[ast.stmt] = []
    indexes = {found_at}
    bound = _rebinds(init)
    for index in reversed(range(found_at)):
        statement = init.body[index]
        if isinstance(statement, ast.Expr) and "super(" in ast.unparse(statement):
            continue
        assigned = _assigned_names(statement)
        if assigned is None:
            if _names(statement) & needed or _rebinds(statement) & needed:
                return None, set(), f"its queryset is built by `{_first_line(statement)}`"
            continue
        if assigned & needed:
            if any(_names(test) & bound for test in _tests(statement)):
                return None, set(), f"its queryset is built under `{_first_line(statement)}`"
            kept.insert(0, statement)
            indexes.add(index)
            needed |= _names(statement)
    named = _named_arguments(init)
    packed = {a.arg for a in (init.args.vararg, init.args.kwarg) if a is not None}
    given = needed & packed - _bound(kept)
    if given:
        return None, set(), f"its queryset is built from __init__'s {', '.join(sorted(given))}"
    taken = [name for name in named if name in needed]
    lines = [f"def {method_name(field)}({', '.join(['self', *taken])}):"]
    lines += [f"    {line}" for s in kept for line in _written(s, source).splitlines()]
    if isinstance(queryset, ast.Name):
        lines.append(f"    return list({queryset.id})")
    else:
        lines += [f"    {ROWS} = {_written(queryset, source)}", f"    return list({ROWS})"]
    return "\n".join(lines) + "\n", indexes, ""


def init_arguments(form: ast.ClassDef, field: str) -> tuple[str, ...]:
    """The named arguments of the form's `__init__` that `field`'s queryset is built from, in
    their order: the twin's choice method takes them (the runtime keeps the values the form was
    built with, `SessionModelForm.init_arguments`)."""
    init = _init(form)
    code = choice_function(form, field)[0]
    if init is None or code is None:
        return ()
    method = ast.parse(code).body[0]
    assert isinstance(method, ast.FunctionDef)
    return tuple(a.arg for a in method.args.args[1:])


def _named_arguments(init: ast.FunctionDef) -> list[str]:
    """The `__init__`'s arguments by name (not `self`, not `*args` or `**kwargs`)."""
    positional = [*init.args.posonlyargs, *init.args.args][1:]  # the instance first
    return [a.arg for a in (*positional, *init.args.kwonlyargs)]


def as_statement(function: cst.FunctionDef) -> cst.FunctionDef:
    """The translated choice method returning its statement, not the statement's rows (its last
    line, `return list(rows)`, was translated `return session.scalars(rows).all()`)."""
    body = function.body
    assert isinstance(body, cst.IndentedBlock)
    last = body.body[-1]
    returned = last.body[0] if isinstance(last, cst.SimpleStatementLine) else None
    rows = returned.value if isinstance(returned, cst.Return) else None
    if isinstance(rows, cst.Call) and isinstance(rows.func, cst.Attribute):  # `.all()`
        rows = rows.func.value
    if isinstance(rows, cst.Call) and rows.args:  # `session.scalars(rows)` or `list(rows)`
        rows = rows.args[0].value
    assert rows is not None and isinstance(last, cst.SimpleStatementLine)
    statement = last.with_changes(body=[cst.Return(value=rows)])
    return function.with_changes(body=body.with_changes(body=[*body.body[:-1], statement]))


def _init(form: ast.ClassDef) -> ast.FunctionDef | None:
    return next(
        (s for s in form.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None
    )


def _targets(node: ast.AST) -> list[ast.expr]:
    return [t for n in ast.walk(node) for t in _targets_of(n)]


def _targets_of(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    if isinstance(node, ast.Delete):
        return []  # a field deleted: the runtime skips it
    if isinstance(node, ast.stmt) and not isinstance(node, ast.FunctionDef | ast.ClassDef):
        return [t for child in ast.iter_child_nodes(node) for t in _targets_of(child)]
    return []


def _field_of(target: ast.expr) -> str | None:
    """`f` of `self.fields["f"]` and of `self.fields["f"].queryset` (not of a widget's or a
    label's setting, which do not choose rows)."""
    if isinstance(target, ast.Attribute) and target.attr in ("queryset", "choices"):
        target = target.value
    if (
        isinstance(target, ast.Subscript)
        and ast.unparse(target.value) == "self.fields"
        and isinstance(target.slice, ast.Constant)
        and isinstance(target.slice.value, str)
    ):
        return target.slice.value
    return None


def _queryset_of(target: ast.expr, value: ast.expr) -> tuple[ast.expr | None, str]:
    if isinstance(target, ast.Attribute):
        if target.attr != "queryset":
            return None, "its form's __init__ sets its choices"
        return value, ""
    if not isinstance(value, ast.Call):
        return None, "its form's __init__ replaces the field with something not a call"
    kind = ast.unparse(value.func)
    if kind not in STOCK_FIELDS:
        return None, f"its form's __init__ replaces the field with a {kind} (it may query itself)"
    queryset = next((k.value for k in value.keywords if k.arg == "queryset"), None)
    if queryset is None or value.args:
        return None, f"its form's __init__ gives the {kind} no queryset= keyword"
    return queryset, ""


def _assigned_names(statement: ast.stmt) -> set[str] | None:
    """The names a plain assignment (or an `if` of them) binds; None for any other statement."""
    if isinstance(statement, ast.Assign):
        if all(isinstance(t, ast.Name) for t in statement.targets):
            return {t.id for t in statement.targets if isinstance(t, ast.Name)}
        return None
    if isinstance(statement, ast.If):
        names: set[str] = set()
        for inner in (*statement.body, *statement.orelse):
            found = _assigned_names(inner)
            if found is None:
                return None
            names |= found
        return names
    return None


def _tests(statement: ast.stmt) -> list[ast.expr]:
    """The conditions of an `if` (and of the `if`s in it): they must read no name the `__init__`
    binds, such as a queryset (`if queryset:` would evaluate it on Django's ORM)."""
    return [n.test for n in ast.walk(statement) if isinstance(n, ast.If)]


def _bound(statements: list[ast.stmt]) -> set[str]:
    return {name for s in statements for name in _assigned_names(s) or set()}


def _rebinds(statement: ast.stmt) -> set[str]:
    return {
        n.id
        for n in ast.walk(statement)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _written(node: ast.AST, source: str | None) -> str:
    """`node`'s code as `source` has it (its quotes, its layout), dedented."""
    segment = ast.get_source_segment(source, node, padded=True) if source else None
    return textwrap.dedent(segment) if segment else ast.unparse(node)


def _first_line(node: ast.AST) -> str:
    return ast.unparse(node).splitlines()[0][:60]


ChoicePlan = tuple[ViewQueries | None, cst.Module | None, str]  # plan, module read, or why not


def _fresh(found: ChoicePlan) -> ChoicePlan:
    plan, tree, why = found
    return (copy.copy(plan) if plan is not None else None), tree, why


@kept_in_run(_fresh)
def init_choice_plan(
    form: ast.ClassDef,
    field: str,
    source: str,
    imports: dict[str, str],
    models_sources: list[str],
    managers_sources: list[str],
    columns: frozenset[str],
    table: str,
) -> ChoicePlan:
    """The translation of `field`'s choice method (of ModelForm `form`, of module text `source`
    whose imports are `imports`, whose Meta.model is `table` with `columns`): its plan and the
    module it was read in, or None and why the twin cannot restrict the field as Django does.

    Within a run, made once for equal inputs (the analysis asks, then the helper-twins rule
    asks up to three times: django-todo parsed its forms module anew each time, 7 % of its
    run); each caller gets its own copy of the plan, which it may change."""
    from codemods.django.helper_twins import helper_plan, model_owners  # it imports this module

    code, why = choice_function(form, field, source)
    if code is None:
        return None, None, why
    function = ast.parse(code).body[0]
    reads = sorted(
        {
            node.attr
            for node in ast.walk(function)
            if isinstance(node, ast.Attribute)
            and ast.unparse(node.value) == "self.instance"
            and node.attr not in columns
        }
    )
    if reads:
        return None, None, f"its queryset reads self.instance.{reads[0]}, not a column"
    tree = cst.parse_module(f"{source.rstrip()}\n\n\n{code}")
    name = method_name(field)
    plan = helper_plan(tree, name, imports, models_sources, managers_sources)
    if plan is None:
        return None, None, "its queryset was not found as a query"
    if plan.reasons:
        return None, None, f"its queryset: {plan.reasons[0]}"
    if plan.helpers:
        return None, None, f"its queryset calls {', '.join(sorted(plan.helpers))} of its module"
    owners = model_owners(imports)
    if used_modules(plan, owners) - {owners.get(table)}:
        return None, None, f"its queryset uses models of another models module than {table}'s"
    return plan, tree, ""
