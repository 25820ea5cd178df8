"""A ModelForm's own methods on its twin (`NoteFormWithSession(SessionModelForm, DjangoNoteForm)`).

The twin keeps the legacy Django form, so a method that queries nothing runs as written
(`get_comment_hash`, a `clean_color` matching a pattern, an `__init__` storing its arguments or
setting a widget's attributes). Three kinds of method are copied onto the twin, translated:

- `save()`, always: the runtime's `SessionModelForm.save` comes first in the twin's MRO, so the
  legacy `save` would never run. Its `super().save(commit)` is then the runtime's, which writes
  the row through the session;
- every other method (`clean`, `clean_<field>`, a helper such as `get_max_sort`) whose code
  reaches Django's ORM: its querysets become SQLAlchemy statements on the form's session
  (`session = self.session` first), as a view's do (view_queries.py). Its `super().clean()`
  becomes `super(DjangoLikeForm, self).clean()`: Django's own, not the legacy override;
- in both, `self.instance.<relation> = value` (the model's foreign keys and one-to-ones) becomes
  `self.instance.<relation>_id = pk_of(value)`: the value may be a SQLAlchemy row (a comment the
  view loaded through the session), which Django's descriptor would refuse; the key is what
  `SessionModelForm.save` copies onto the row.

`__init__` is never copied: it must query nothing and set no relation of the instance. A method
whose queries do not all translate, that reads `self.instance.<x>` other than a column (a
relation, a reverse manager: Django would load it through its ORM), that calls a querying
function of its module, or that is decorated or async, keeps the form without a twin;
`method_plans` says why.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass

import libcst as cst

from codemods.django.form_init_choices import covered
from codemods.django.model_modules import tables_names, user_model_names
from codemods.django.model_relations import read_relations
from codemods.django.orm_use import reaches_orm
from codemods.django.view_queries import ViewQueries, used_modules
from codemods.engine.ast_names import top_level_classes
from codemods.engine.parsed import code_of, parse_ast_shared

PK_OF = ("codemods.runtime.django.queries", "pk_of")
# what the query planner says of `super().save(commit)` in a twin's save: SessionModelForm's
RUNTIME_SAVE = "super().save(): "
INSTANCE = "instance"  # the local name of `self.instance` in a method reading a related manager


@dataclass
class MethodPlan:
    """One method the twin gets: at module level in `tree` (as the query planner reads a helper),
    with its `super()` calls and relation assignments already rewritten."""

    name: str
    tree: cst.Module
    function: cst.FunctionDef
    plan: ViewQueries | None  # None: it queries nothing, copied as rewritten
    keys: bool  # it assigns a relation's key (needs `pk_of`)


class _Rewrite(cst.CSTTransformer):
    """`super()` calls and `self.instance.<relation> = v` of a method copied onto the twin; and
    the attributes of `self.instance` it reads that are not the model's own columns."""

    def __init__(
        self, method: str, django_form: str, model: ModelFields, managers: frozenset[str]
    ) -> None:
        self.method = method
        self.django_form = django_form
        self.model = model
        self.managers = managers  # instances' related managers the query translation knows
        self.keys = False
        self.instance_reads: list[str] = []
        self.instance_managers = False  # it reads one: `instance = self.instance` comes first
        # `self.topic.comment_set`: the form's attributes whose related managers it reads, each
        # bound to a local of its name first (`topic = self.topic`)
        self.bound: list[str] = []
        self.names: set[str] = set()  # the names the method uses (a binding must not shadow)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        tree = ast.parse(_code(node.with_changes(decorators=[])))
        self.names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        self.names |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        """`self.instance.category_set` -> `instance.category_set`, `self.topic.comment_set` ->
        `topic.comment_set`: a related manager the query translation reads on a name."""
        if updated_node.attr.value not in self.managers:
            return updated_node
        attribute = _instance_attribute(updated_node)
        if attribute is not None:
            self.instance_managers = True
            return updated_node.with_changes(value=cst.Name(INSTANCE))
        owner = _self_attribute(updated_node.value)
        if owner is None or owner == "instance" or owner in self.names:
            return updated_node
        if owner not in self.bound:
            self.bound.append(owner)
        return updated_node.with_changes(value=cst.Name(owner))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if not _is_name(updated_node.func, "super"):
            return updated_node
        if self.method == "save":  # the runtime's save, next in the twin's MRO
            return updated_node.with_changes(args=[])
        arguments = cst.parse_expression(f"super({self.django_form}, self)")
        assert isinstance(arguments, cst.Call)
        return updated_node.with_changes(args=arguments.args)

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if len(updated_node.targets) != 1:
            return updated_node
        target = updated_node.targets[0].target
        attribute = _instance_attribute(target)
        if attribute not in self.model.relations:
            return updated_node
        assert isinstance(target, cst.Attribute)
        self.keys = True
        key = target.with_changes(attr=cst.Name(f"{attribute}_id"))
        value = cst.Call(cst.Name("pk_of"), [cst.Arg(updated_node.value)])
        return updated_node.with_changes(targets=[cst.AssignTarget(key)], value=value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attribute = _instance_attribute(node)
        if attribute is not None and attribute not in self.model.columns | self.managers:
            self.instance_reads.append(attribute)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        # setting a column or a relation is no read
        attribute = _instance_attribute(node.target)
        return attribute is None or attribute not in self.model.columns | self.model.relations


@dataclass(frozen=True)
class ModelFields:
    """The model's own columns (as Django's instance holds them without a query: fields, keys'
    `_id`, `pk`) and its relations a form may set (foreign keys, one-to-ones)."""

    columns: frozenset[str]
    relations: frozenset[str]


def tables_names_of(plan: ViewQueries) -> set[str]:
    """The models the plan's translations name as `tables.<Model>`."""
    return {n for t in plan.translations.values() for n in tables_names(t.code)}


def defined_once(models_sources: list[str]) -> set[str]:
    """The model classes exactly one of the models modules defines."""
    counts = Counter(node.name for node, _ in top_level_classes(models_sources))
    return {name for name, count in counts.items() if count == 1}


def _self_attribute(node: cst.BaseExpression) -> str | None:
    """`x` of `self.x`."""
    if isinstance(node, cst.Attribute) and _is_name(node.value, "self"):
        return node.attr.value
    return None


def _instance_attribute(node: cst.BaseExpression) -> str | None:
    """`x` of `self.instance.x`."""
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Attribute)
        and _is_name(node.value.value, "self")
        and node.value.attr.value == "instance"
    ):
        return node.attr.value
    return None


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def method_plans(
    source: cst.Module,
    form: str,
    imports: dict[str, str],
    models_sources: list[str],
    model: ModelFields,
    table: str | None,
    initial: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[MethodPlan], list[str]]:
    """The methods of ModelForm `form` (a class of `source`, whose imports relative to SRC are
    `imports`, whose `Meta.model` is `table`, a local name) its twin gets, and the reasons it can
    get none (empty: it can). `initial`: the fields whose querysets the `__init__` sets and the
    twin translates (form_init_choices.py): building them lazily is the only ORM use allowed
    there. `table` None: a plain `forms.Form` (plain_forms.py), with no model and no save of the
    runtime's (its `save`, if any, is a method like the others); its methods' queries must all
    reach one models module, which its twin imports."""
    from codemods.django.helper_twins import helper_plan, model_owners  # they import this module
    from codemods.django.querysets import instance_sets  # (through analysis.py, too)

    owners = model_owners(imports)

    node = next(
        (s for s in source.body if isinstance(s, cst.ClassDef) and s.name.value == form), None
    )
    if node is None:
        return [], [f"form {form} is not a class of its module"]
    managers = frozenset(
        name for name, rows in instance_sets(read_relations(models_sources)).items()
        if len(rows) == 1
    )  # fmt: skip
    users = user_model_names(parse_ast_shared(code_of(source)))  # `User = get_user_model()`
    plans: list[MethodPlan] = []
    reasons: list[str] = []
    runtime_save = "save" if table is not None else None
    modules: set[str] = set()  # a plain form's: the models modules its methods query
    for statement in node.body.body:
        if not isinstance(statement, cst.FunctionDef):
            continue
        name = statement.name.value
        rewrite = _Rewrite(
            name, f"Django{form}", model, managers if name != "__init__" else frozenset()
        )
        function = statement.with_changes(leading_lines=[]).visit(rewrite)
        assert isinstance(function, cst.FunctionDef)
        if rewrite.instance_managers or rewrite.bound:
            function = _with_bindings(
                function, [INSTANCE] * rewrite.instance_managers + rewrite.bound
            )
        if rewrite.instance_reads:
            reads = ", ".join(f"self.instance.{r}" for r in dict.fromkeys(rewrite.instance_reads))
            reasons.append(
                f"form {form}: method {name} reads {reads}, not a column (Django may load it "
                "through its ORM)"
            )
        parsed = ast.parse(_code(statement.with_changes(decorators=[])))
        if name == "__init__" and initial:
            init = parsed.body[0]
            assert isinstance(init, ast.FunctionDef)
            built = covered(ast.parse(_code(node)).body[0], set(initial))  # type: ignore[arg-type]
            init.body = [s for i, s in enumerate(init.body) if i not in built] or [ast.Pass()]
        reads_managers = rewrite.instance_managers or bool(rewrite.bound)
        querying = reaches_orm(parsed, imports, users) or reads_managers
        if name == "__init__":
            if querying:
                reasons.append(f"form {form}: its __init__ queries on Django's ORM")
            if rewrite.keys:  # Django's descriptor would refuse a SQLAlchemy row
                reasons.append(f"form {form}: its __init__ sets a relation of self.instance")
            continue
        if name != runtime_save and not querying and not rewrite.keys:
            continue  # runs as the legacy form's
        if statement.decorators or statement.asynchronous is not None:
            reasons.append(
                f"form {form}: method {name} is decorated or async and queries or sets a relation"
            )
            continue
        tree = cst.Module(body=[function])
        plan = helper_plan(tree, name, imports, models_sources, querying=querying, users=users)
        if plan is not None and name == runtime_save:  # the runtime's save, next in the twin's MRO
            plan.reasons = [r for r in plan.reasons if not r.startswith(f"save: {RUNTIME_SAVE}")]
        if plan is not None:
            reasons += [f"form {form}: method {name}: {reason}" for reason in plan.reasons]
            if plan.helpers:
                helpers = ", ".join(sorted(plan.helpers))
                reasons.append(f"form {form}: method {name} calls {helpers} of its module")
            modules |= used_modules(plan, owners)
            if table is not None and used_modules(plan, owners) - {owners.get(table)}:
                reasons.append(
                    f"form {form}: method {name} queries models of another models module than "
                    f"{table}'s"
                )
            # reached through a relation (`self.topic.comment_set`): the rule imports the
            # module defining it, which must be one models module of SRC
            reached = tables_names_of(plan) - set(owners) - defined_once(models_sources) - users
            reasons += [
                f"form {form}: method {name} reaches {model}, which no one models module of "
                "SRC defines"
                for model in sorted(reached)
            ]
        elif querying:
            reasons.append(f"form {form}: method {name}: its queries were not found")
        plans.append(MethodPlan(name, tree, function, plan, rewrite.keys))
    if table is None and len(modules) > 1:  # the twin's one `tables`
        reasons.append(
            f"form {form}: its methods query models of {len(modules)} models modules, not one"
        )
    return plans, list(dict.fromkeys(reasons))


def _with_bindings(function: cst.FunctionDef, names: list[str]) -> cst.FunctionDef:
    """`instance = self.instance`, `topic = self.topic`, ... first (after the docstring)."""
    block = function.body
    assert isinstance(block, cst.IndentedBlock)
    lines = [cst.parse_statement(f"{name} = self.{name}\n") for name in names]
    body = list(block.body)
    first = body[0] if body else None
    docstring = (
        isinstance(first, cst.SimpleStatementLine)
        and isinstance(first.body[0], cst.Expr)
        and isinstance(first.body[0].value, cst.SimpleString)
    )
    at = 1 if docstring else 0
    return function.with_changes(body=block.with_changes(body=[*body[:at], *lines, *body[at:]]))


def model_fields(model: ast.ClassDef, keys: frozenset[str]) -> ModelFields:
    """The columns and settable relations of `model`, its relation fields of kinds `keys`
    (foreign keys, one-to-ones) giving a relation and its `_id` column."""
    columns = {"pk", "id"}
    relations = set()
    for statement in model.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Call)
        ):
            name = statement.targets[0].id
            kind = ast.unparse(statement.value.func).rsplit(".", 1)[-1]
            if kind in keys:
                relations.add(name)
                columns.add(f"{name}_id")
            elif kind.endswith("Field") and kind != "ManyToManyField":
                columns.add(name)
    return ModelFields(frozenset(columns), frozenset(relations))


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
