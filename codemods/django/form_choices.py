"""A ModelForm's foreign keys on its twin, checked through the session (runtime form_choices.py).

Django gives a foreign key of a ModelForm a `ModelChoiceField` on the related model's default
manager: it loads the submitted key's row with that queryset and lists the queryset's rows in the
select it renders, both on Django's ORM. The twin runs the same statement on its session instead:

    class TaskFormWithSession(SessionModelForm, DjangoTaskForm):
        table = tables.Task
        choices = {"task_list": lambda form: select(tables.TaskList).order_by(tables.TaskList.name)}

The statement is the default queryset translated: all the related model's rows, in the order of
its `Meta.ordering`. A foreign key keeps its form without a twin, with the reason, when that
queryset is not faithfully a plain select: the related model is of another models module than the
form's (the twin imports one as `tables`), its default manager filters (`get_queryset`), its
ordering goes through a relation or an expression, or it inherits from a base other than
`models.Model`; or the field narrows its choices (`limit_choices_to`), keys by another column
(`to_field`), or the form's `__init__` sets its queryset or replaces the field; or the related
model's `__str__` (the options' labels) reads a relation (Django would load it on its ORM).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from codemods.django.auth_group import GROUP_CLASS
from codemods.django.model_relations import read_relations
from codemods.engine.parsed import parse_ast_shared

RELATIONS = frozenset(
    {"ForeignKey", "OneToOneField", "ManyToManyField", "GenericForeignKey", "ParentalKey"}
)


@dataclass(frozen=True)
class Choice:
    """A foreign key of the form, offered and checked with all of `model`'s rows in `ordering`."""

    field: str
    model: str  # the related model, `tables.<model>` in the twin's module
    ordering: tuple[str, ...]  # Django's Meta.ordering, column names (`-created`)
    method: str | None = None  # the twin's method translating the queryset its __init__ sets
    arguments: tuple[str, ...] = ()  # the __init__'s arguments that method takes

    def statement(self) -> str:
        """The twin's `choices` entry: the form -> the statement of its rows."""
        if self.method is not None:
            given = ", ".join(f'form.init_arguments["{name}"]' for name in self.arguments)
            return f"lambda form: form.{self.method}({given})"
        table = f"tables.{self.model}"
        order = [
            f"{table}.{name[1:]}.desc()" if name.startswith("-") else f"{table}.{name}"
            for name in self.ordering
        ]
        ordered = f".order_by({', '.join(order)})" if order else ""
        return f"lambda form: select({table}){ordered}"


def relation_choice(
    form: ast.ClassDef,
    field: str,
    call: ast.Call,
    model: str,
    models_sources: list[str],
    init_method: str | None = None,
    arguments: tuple[str, ...] = (),
) -> tuple[Choice | None, str]:
    """The choice of foreign key `field` (declared by `call` in `model`, the form's Meta.model),
    or None and why its queryset is no plain select of the twin's tables. `init_method`: the
    twin's method giving the queryset the form's `__init__` sets (form_init_choices.py), from
    the `__init__`'s `arguments`."""
    narrowing = {k.arg for k in call.keywords if k.arg} & {"limit_choices_to", "to_field"}
    if narrowing:
        return None, f"it has {', '.join(sorted(narrowing))}"
    why = _init_sets(form, field) if init_method is None else ""
    if why:
        return None, why
    to = (k.value for k in call.keywords if k.arg == "to")
    target = call.args[0] if call.args else next(to, None)
    name = (
        target.id
        if isinstance(target, ast.Name)
        else target.value.rpartition(".")[2]
        if isinstance(target, ast.Constant) and isinstance(target.value, str)
        else None
    )
    if name == "self":
        name = model
    module = _module_of(model, models_sources)
    related = _class(module, name) if module is not None and name is not None else None
    if related is None and _to_auth_group(model, field, models_sources):
        # django.contrib.auth's Group, generated as AuthGroup beside the models: no ordering,
        # all its rows, `str()` its name (Django's Group)
        return Choice(field, GROUP_CLASS, (), init_method, arguments), ""
    user_class = _to_auth_user(model, field, models_sources) if related is None else None
    if user_class is not None:
        # django.contrib.auth's User, generated beside the models on auth_user: no ordering,
        # all its rows; the labels are `str()` of Django's User the runtime builds from each row
        return Choice(field, user_class, (), init_method, arguments), ""
    if related is None or name is None:
        written = ast.unparse(target) if target else "?"
        return None, f"its model {written} is not of {model}'s models module"
    bases = [ast.unparse(b) for b in related.bases]
    if bases not in (["models.Model"], ["Model"]):
        return None, f"its model {name} inherits from {', '.join(bases)}"
    assert module is not None
    why = _manager_filters(related, module) if init_method is None else ""  # else translated
    if why:
        return None, why
    ordering = _ordering(related) if init_method is None else ()
    if ordering is None:
        return None, f"{name}'s Meta.ordering is not a list of its own columns"
    if _str_reads_relation(related):
        return None, f"{name}.__str__ (the options' labels) reads a relation"
    return Choice(field, name, ordering, init_method, arguments), ""


def _to_auth_group(model: str, field: str, models_sources: list[str]) -> bool:
    """`model.field` is a key to django.contrib.auth's Group, which the models rule generates
    (as AuthGroup) beside `model`."""
    relation = read_relations(models_sources).get(model, {}).get(field)
    return relation is not None and relation.mapped and relation.target == GROUP_CLASS


def _to_auth_user(model: str, field: str, models_sources: list[str]) -> str | None:
    """The generated class of django.contrib.auth's User when `model.field` is a foreign key or a
    many-to-many field to it (`settings.AUTH_USER_MODEL`, `"auth.User"`), the models rule mapping
    it on auth_user."""
    relation = read_relations(models_sources).get(model, {}).get(field)
    if relation is None or not relation.to_user or not relation.mapped:
        return None
    module = _module_of(model, models_sources)
    # the models rule's name for it: AuthUser when the module defines a User of its own
    return "AuthUser" if module is not None and _class(module, "User") is not None else "User"


def _init_sets(form: ast.ClassDef, field: str) -> str:
    """Why the form's `__init__` keeps Django's queryset of `field`: it assigns the field or its
    queryset (or a field whose name it computes)."""
    for method in form.body:
        if not isinstance(method, ast.FunctionDef) or method.name != "__init__":
            continue
        for node in ast.walk(method):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                text = ast.unparse(target)
                for sub in ast.walk(target):
                    if not (
                        isinstance(sub, ast.Subscript) and ast.unparse(sub.value) == "self.fields"
                    ):
                        continue
                    key = sub.slice
                    if not isinstance(key, ast.Constant):
                        return "its form's __init__ sets a field it names by a variable"
                    if key.value == field and (
                        text == ast.unparse(sub) or text.endswith((".queryset", ".choices"))
                    ):
                        return "its form's __init__ sets its queryset"
    return ""


def _module_of(model: str, models_sources: list[str]) -> ast.Module | None:
    for source in models_sources:
        try:
            tree = parse_ast_shared(source)
        except SyntaxError:
            continue
        if _class(tree, model) is not None:
            return tree
    return None


def _class(module: ast.Module, name: str) -> ast.ClassDef | None:
    return next((s for s in module.body if isinstance(s, ast.ClassDef) and s.name == name), None)


def _manager_filters(model: ast.ClassDef, module: ast.Module) -> str:
    """Why `model`'s default manager (its first one) may not give all its rows."""
    for statement in model.body:
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            continue
        func = statement.value.func
        text = ast.unparse(func)
        if text in ("models.Manager", "Manager"):
            return ""
        owner = (
            func.value
            if isinstance(func, ast.Attribute) and func.attr in ("as_manager", "from_queryset")
            else func
        )
        if not isinstance(owner, ast.Name):
            continue  # a field
        found = _class(module, owner.id)
        if found is None:
            if owner.id.endswith(("Manager", "QuerySet")):
                return f"{model.name}'s manager {owner.id} is not of its models module"
            continue
        if any(isinstance(s, ast.FunctionDef) and s.name == "get_queryset" for s in found.body):
            return f"{model.name}'s default manager {owner.id} filters (get_queryset)"
        return ""
    return ""


def _ordering(model: ast.ClassDef) -> tuple[str, ...] | None:
    """`model`'s Meta.ordering when it is column names of its own (None otherwise)."""
    meta = _class(ast.Module(body=model.body, type_ignores=[]), "Meta")
    ordering = None
    for statement in meta.body if meta is not None else []:
        if isinstance(statement, ast.Assign) and ast.unparse(statement.targets[0]) == "ordering":
            ordering = statement.value
    if ordering is None:
        return ()
    if not isinstance(ordering, ast.List | ast.Tuple):
        return None
    columns = {"id", "pk"}
    for statement in model.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Call)
        ):
            kind = ast.unparse(statement.value.func).rsplit(".", 1)[-1]
            if kind.endswith("Field") and kind not in RELATIONS:
                columns.add(statement.targets[0].id)
    names = []
    for element in ordering.elts:
        if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
            return None
        name = element.value
        if name.lstrip("-") not in columns:
            return None
        names.append(name.replace("pk", "id") if name.lstrip("-") == "pk" else name)
    return tuple(names)


def _str_reads_relation(model: ast.ClassDef) -> bool:
    relations = {
        s.targets[0].id
        for s in model.body
        if isinstance(s, ast.Assign)
        and isinstance(s.targets[0], ast.Name)
        and isinstance(s.value, ast.Call)
        and ast.unparse(s.value.func).rsplit(".", 1)[-1] in RELATIONS
    }
    method = next(
        (s for s in model.body if isinstance(s, ast.FunctionDef) and s.name == "__str__"), None
    )
    if method is None:
        return False
    for node in ast.walk(method):
        if (
            isinstance(node, ast.Attribute)
            and ast.unparse(node.value) == "self"
            and (node.attr in relations or node.attr.endswith("_set"))
        ):
            return True
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name)
            or (isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) != "self")
        ):
            return True  # a method of the instance may read one
    return False
