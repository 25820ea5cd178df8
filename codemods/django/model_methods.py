"""Translated twins of the legacy models' own methods that query or write.

A view or helper calling a model's method (`Comment.create_moderation_action(...)`,
`topic.increase_view_count()`) runs that method's queries on Django's ORM. When the method's
queries all translate (view_queries.py decides, as for a view), the generated SQLAlchemy class
gets a twin beside the legacy method, taking the caller's session as a keyword:

    @classmethod
    def create_moderation_action_with_session(cls, user, topic, action, *, session: Session):
        return create(session, Comment, user_id=pk_of(user), topic_id=pk_of(topic), ...)

    def increase_view_count_with_session(self, *, session: Session):
        update_rows(session, select(Topic).where(Topic.id == self.pk),
                    view_count=Topic.view_count + 1)

and the caller's call becomes `tables.Comment.create_moderation_action_with_session(...,
session=session)`. An `F()` increment stays one `UPDATE ... SET x = x + 1` (f_expressions.py).

A method gets a twin when it is a plain instance method or a `@classmethod` (not a property,
not async; an override of Django's `delete` is left to the queries rule, one of `save` is read
as save_twins.py says: its parent's save becomes the row's write), whose queries
all translate to its own models module, with no `.get()` (its `DoesNotExist` is the legacy
model's), which calls no function of SRC by a bare name (`create_or_none(cls, ...)` may query)
and no other method of its model, and whose model no signal receiver of the models modules
names (`sender=Model`: Django would run it on a write, SQLAlchemy does not). Anything else keeps
the caller on Django's ORM, with the method and the reason named.
"""

from __future__ import annotations

import builtins
import re
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache

import libcst as cst

from codemods.django.managers import read_managers
from codemods.django.model_relations import read_relations
from codemods.django.queryset_methods import Methods, ModelMethods, read_queryset_methods
from codemods.django.querysets import TABLES, Translation
from codemods.django.save_twins import WRITE, save_body, with_write
from codemods.django.view_queries import ViewQueries, function_queries
from codemods.engine.parsed import parse_shared
from codemods.engine.walk import in_order

TWIN_SUFFIX = "_with_session"
OVERRIDES = frozenset({"save", "delete", "clean", "full_clean", "refresh_from_db"})
BUILTINS = frozenset(dir(builtins))


@dataclass
class MethodTwin:
    """One model method with a translated twin (or the reason it has none: `reason`)."""

    model: str
    name: str
    classmethod: bool
    function: cst.FunctionDef  # the legacy method, `cls` written as the model's name
    plan: ViewQueries = field(default_factory=ViewQueries)
    reason: str = ""

    @property
    def twin(self) -> str:
        return f"{self.name}{TWIN_SUFFIX}"


ModelTwins = dict[str, dict[str, MethodTwin]]  # model -> method -> its twin or reason


class _Renamed(cst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return (
            updated_node.with_changes(value=self.new)
            if updated_node.value == self.old
            else (updated_node)
        )


class _Replaced(cst.CSTTransformer):
    def __init__(self, translations: dict[cst.CSTNode, Translation]) -> None:
        self.translations = translations

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        found = self.translations.get(original_node)
        return cst.parse_expression(found.code) if found is not None else updated_node


class _Unqualified(cst.CSTTransformer):
    """`tables.Topic` -> `Topic`: the twin sits in the generated models module itself."""

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        value = updated_node.value
        if isinstance(value, cst.Name) and value.value == TABLES:
            return updated_node.attr
        return updated_node


def _kind(function: cst.FunctionDef) -> str | None:
    """ "classmethod", "instance", or None (a property, a static or decorated method)."""
    names = [cst.Module(body=[]).code_for_node(d.decorator) for d in function.decorators]
    params = function.params.params
    first = params[0].name.value if params else None
    if names == ["classmethod"] and first == "cls":
        return "classmethod"
    if not names and first == "self":
        return "instance"
    return None


def _called_names(function: cst.FunctionDef) -> set[str]:
    found: set[str] = set()

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                found.add(node.func.value)

    in_order(function.body, Calls())
    return found


def _own_method_calls(function: cst.FunctionDef, model: str, methods: set[str]) -> list[str]:
    """`self.x(...)` / `Model.x(...)` calls of the model's own methods."""
    found: list[str] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Name)
                and func.value.value in ("self", model)
                and func.attr.value in methods
            ):
                found.append(func.attr.value)

    in_order(function.body, Calls())
    return found


def _signalled(sources: tuple[str, ...]) -> set[str]:
    """The models a signal receiver is connected for (`sender=Model`)."""
    found: set[str] = set()
    for source in sources:
        if "signal" in source or "receiver" in source:
            found |= set(re.findall(r"sender\s*=\s*([A-Za-z_]\w*)", source))
    return found


def _library_names(tree: cst.Module) -> set[str]:
    """The names the module imports from Django or the standard library (`F`, `timedelta`):
    calling one queries nothing of SRC; a name of SRC (a relative import, a helper) may."""
    found: set[str] = set()
    for statement in tree.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.ImportFrom) or small.relative or small.module is None:
                continue
            module = cst.Module(body=[]).code_for_node(small.module)
            top = module.split(".")[0]
            if top != "django" and top not in sys.stdlib_module_names:
                continue
            if isinstance(small.names, cst.ImportStar):
                continue
            for alias in small.names:
                local = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(local, cst.Name):
                    found.add(local.value)
    return found


def _is_model(node: cst.ClassDef) -> bool:
    return any(
        (cst.Module(body=[]).code_for_node(base.value)).rsplit(".", 1)[-1] == "Model"
        for base in node.bases
    )


def _twin_of(
    model: str,
    function: cst.FunctionDef,
    own_models: frozenset[str],
    methods_of_model: set[str],
    context: tuple[object, object, Methods],
    signalled: set[str],
    safe: set[str],
) -> MethodTwin | None:
    kind = _kind(function)
    name = function.name.value
    if name == "save" and kind == "instance":  # its queries on the session (save_twins.py)
        saved, why = save_body(function)
        if saved is None:
            return MethodTwin(model, name, False, function, reason=why)
        function = saved
    elif name in OVERRIDES or name.startswith("__"):
        return None  # Django's own methods: `x.save()` is the queries rule's

    is_class = kind == "classmethod"
    if is_class:  # `cls` is the model
        renamed = function.with_changes(body=function.body.visit(_Renamed("cls", model)))
        assert isinstance(renamed, cst.FunctionDef)
        function = renamed
    relations, managers, methods = context
    plan = function_queries(function, own_models, relations, managers, methods)  # type: ignore[arg-type]
    helpers = sorted(_called_names(function) - BUILTINS - own_models - safe)
    twin = MethodTwin(model, name, is_class, function, plan)
    if not plan.translations and not plan.reasons:
        if is_class and helpers:  # `create_or_none(cls, ...)`: a helper of SRC given the model
            twin.reason = f"it calls {helpers[0]}(), which may query on Django's ORM"
            return twin
        return None  # it queries nothing
    if kind is None or function.asynchronous is not None:
        twin.reason = "a property, a static, decorated or async method"
        return twin
    if plan.reasons:
        twin.reason = plan.reasons[0]
        return twin
    if helpers:
        twin.reason = f"it calls {helpers[0]}(), which may query on Django's ORM"
        return twin
    own = _own_method_calls(function, model, methods_of_model - {name})
    if own:
        twin.reason = f"it calls {model}.{own[0]}(), another method of its model"
        return twin
    used = {
        found
        for translation in plan.translations.values()
        for found in re.findall(rf"\b{TABLES}\.(\w+)", translation.code)
    }
    if used - own_models:
        twin.reason = f"its queries use {sorted(used - own_models)[0]} of another models module"
        return twin
    if any("get_one(" in translation.code for translation in plan.translations.values()):
        twin.reason = ".get() raises the legacy model's DoesNotExist, not at hand in the twin"
        return twin
    if model in signalled:
        twin.reason = f"a signal receiver is connected for {model} (sender={model})"
    return twin


@lru_cache(maxsize=8)
def _read(sources: tuple[str, ...]) -> ModelTwins:
    listed = list(sources)
    context = (read_relations(listed), read_managers(listed), read_queryset_methods(listed))
    signalled = _signalled(sources)
    found: ModelTwins = {}
    for source in sources:
        try:
            tree = parse_shared(source)
        except cst.ParserSyntaxError:
            continue
        classes = [s for s in tree.body if isinstance(s, cst.ClassDef) and _is_model(s)]
        safe = _library_names(tree)
        own_models = frozenset(c.name.value for c in classes)
        for node in classes:
            functions = [s for s in node.body.body if isinstance(s, cst.FunctionDef)]
            names = {f.name.value for f in functions}
            for function in functions:
                twin = _twin_of(
                    node.name.value, function, own_models, names, context, signalled, safe
                )
                if twin is not None:
                    found.setdefault(node.name.value, {})[twin.name] = twin
    return found


def read_method_twins(sources: list[str]) -> ModelTwins:
    """The querying methods of the models in `sources`, each with its twin or its reason."""
    return _read(tuple(sources))


def twin_method(twin: MethodTwin) -> tuple[cst.FunctionDef, set[tuple[str, str]]]:
    """The twin's code for the generated class, and the names it needs imported."""
    replaced = twin.function.visit(_Replaced(twin.plan.translations))
    assert isinstance(replaced, cst.FunctionDef)
    unqualified = replaced.visit(_Unqualified())
    assert isinstance(unqualified, cst.FunctionDef)
    session = cst.parse_statement("def f(*, session: Session): ...\n")
    assert isinstance(session, cst.FunctionDef)
    params = unqualified.params
    star = params.star_arg
    if star is cst.MaybeSentinel.DEFAULT:
        star = cst.ParamStar()
    params = params.with_changes(
        star_arg=star, kwonly_params=[*params.kwonly_params, *session.params.kwonly_params]
    )
    imports = {name for t in twin.plan.translations.values() for name in t.imports}
    imports.add(("sqlalchemy.orm", "Session"))
    method = unqualified.with_changes(
        name=cst.Name(twin.twin), params=params, leading_lines=[cst.EmptyLine(indent=False)]
    )
    if twin.name == "save":
        method = with_write(method)
        imports.add(WRITE)
    return method, imports


def with_method_twins(methods: Methods, sources: list[str]) -> Methods:
    """`methods` (read_queryset_methods) with the models' own querying methods of `sources`
    added, for the calls of them view_queries.py translates."""
    found = dict(methods)
    for model, twins in read_method_twins(sources).items():
        current = found.get(model) or ModelMethods()
        found[model] = replace(
            current,
            # `x.save()` is the queries rule's: save(session, x) runs the save twin
            twins={name: (t.classmethod, t.reason) for name, t in twins.items() if name != "save"},
        )
    return found
