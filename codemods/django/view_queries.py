"""Which queries of a function view can leave Django's ORM: all of them, or none.

A view's querysets (`Model.objects...` chains and `get_object_or_404`) are translated
(querysets.py) only when every one of them translates and nothing else in the view, or in the
module's functions it calls, still needs Django's ORM: a custom manager (`Post.published`), a
model's exceptions or constructor, a related manager or model-instance method (`post.tags.all()`,
`post.save()`), `.pk`, a helper that queries. Otherwise the view keeps running on the ORM as
written, and the reasons say what kept it there. Half-converted views would hand SQLAlchemy rows
to code written for Django's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from codemods.django.model_relations import Relations, user_sets
from codemods.django.querysets import TABLES, Translation, Unconvertible, is_user, translate
from codemods.engine.nodes import dotted_name

# Methods that, called on something other than a translated result, belong to Django's model
# instances, related managers or querysets (`get` and `update` are left out: dicts have them).
ORM_METHODS = frozenset(
    {
        "all", "filter", "exclude", "count", "exists", "first", "last", "order_by", "annotate",
        "aggregate", "values", "values_list", "select_related", "prefetch_related", "save",
        "delete", "set", "add", "remove", "clear", "refresh_from_db", "create", "get_or_create",
        "update_or_create", "bulk_create", "in_bulk", "distinct", "only", "defer",
    }
)  # fmt: skip
MODEL_EXCEPTIONS = frozenset({"DoesNotExist", "MultipleObjectsReturned"})


@dataclass
class ViewQueries:
    """The translations of a view's querysets, or the reasons they stay on Django's ORM."""

    translations: dict[cst.CSTNode, Translation] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def converted(self) -> bool:
        """Nothing keeps the view on the ORM (it may have had no query: `Post.Status.DRAFT`)."""
        return not self.reasons


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _rooted(node: cst.CSTNode, models: frozenset[str], sets: frozenset[str]) -> bool:
    """`node` is a queryset chain: `Model.objects...`, the user's related manager
    (`user.posts...`, `sets` are their names) or a `get_object_or_404(...)` call."""
    if isinstance(node, cst.Call):
        if dotted_name(node.func) == "get_object_or_404":
            return True
        return isinstance(node.func, cst.Attribute) and _rooted(node.func.value, models, sets)
    if isinstance(node, cst.Subscript):
        return _rooted(node.value, models, sets)
    if isinstance(node, cst.Attribute):
        if node.attr.value == "objects":
            return isinstance(node.value, cst.Name) and node.value.value in models
        if node.attr.value in sets and is_user(node.value):
            return True
        return _rooted(node.value, models, sets)
    return False


def _arguments(chain: cst.BaseExpression) -> list[cst.CSTNode]:
    """The arguments and slices given along a chain (not the chain itself)."""
    found: list[cst.CSTNode] = []
    node: cst.BaseExpression | None = chain
    while node is not None:
        if isinstance(node, cst.Call) and dotted_name(node.func) == "get_object_or_404":
            found.extend(node.args[1:])
            node = node.args[0].value if node.args else None
        elif isinstance(node, cst.Call):
            found.extend(node.args)
            node = node.func.value if isinstance(node.func, cst.Attribute) else None
        elif isinstance(node, cst.Subscript):
            found.extend(node.slice)
            node = node.value
        elif isinstance(node, cst.Attribute):
            node = node.value
        else:
            node = None
    return found


class _Names(cst.CSTVisitor):
    """The ORM expressions (`F`, `Q`, `Count`, ...: names from a `models` module) called."""

    def __init__(self, models: frozenset[str]) -> None:
        self.models = models
        self.found: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value in self.models:
            self.found.append(node.func.value)


class _Chains(cst.CSTVisitor):
    """The outermost queryset chains of a function."""

    def __init__(self, models: frozenset[str], sets: frozenset[str]) -> None:
        self.models = models
        self.sets = sets
        self.found: list[cst.BaseExpression] = []

    def _take(self, node: cst.BaseExpression) -> bool:
        if _rooted(node, self.models, self.sets):
            self.found.append(node)
            return False
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        return self._take(node)

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        return self._take(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._take(node)


class _Leftovers(cst.CSTVisitor):
    """What still needs Django's ORM in a function, outside the chains being translated."""

    def __init__(self, models: frozenset[str], skipped: set[cst.CSTNode]) -> None:
        self.models = models
        self.skipped = skipped
        self.reasons: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node in self.skipped:
            return False
        return super().on_visit(node)

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ORM_METHODS:
            owner = dotted_name(func.value) or _source(func.value)
            self.reasons.append(
                f"{owner}.{func.attr.value}(): a Django queryset, related manager or model method"
            )
            return False
        if isinstance(func, cst.Name) and func.value in self.models:
            self.reasons.append(f"{func.value}(...): a Django model or ORM expression")
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        owner = node.value
        name = node.attr.value
        if isinstance(owner, cst.Name) and owner.value in self.models:
            if name in MODEL_EXCEPTIONS:
                self.reasons.append(f"{owner.value}.{name}: Django's exception")
            elif name != "objects" and not name[:1].isupper():
                self.reasons.append(f"{owner.value}.{name}: a custom manager or model attribute")
            return False
        if name == "pk" and not (dotted_name(owner) or "").endswith("user"):
            self.reasons.append(f"{_source(node)}: `.pk` of a model instance")
        return True


def _update_values(chain: cst.BaseExpression) -> list[cst.CSTNode]:
    """The arguments of a chain's final `update(...)`: their `F()` were translated."""
    if (
        isinstance(chain, cst.Call)
        and isinstance(chain.func, cst.Attribute)
        and chain.func.attr.value == "update"
    ):
        return list(chain.args)
    return []


def _called(function: cst.FunctionDef) -> set[str]:
    names: set[str] = set()

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                names.add(node.func.value)

    function.visit(Calls())
    return names


def view_queries(
    view: cst.FunctionDef,
    functions: dict[str, cst.FunctionDef],
    models: frozenset[str],
    querying: set[str],
    relations: Relations,
) -> ViewQueries:
    """The plan for `view`: `functions` are its module's, `querying` those reaching the ORM."""
    found = ViewQueries()
    sets = frozenset(user_sets(relations))
    chains = _Chains(models, sets)
    view.body.visit(chains)
    for chain in chains.found:
        try:
            translation = translate(chain, models, relations)
        except Unconvertible as error:
            found.reasons.append(str(error))
            continue
        inner = _Chains(models, sets)
        names = _Names(models)
        values = _update_values(chain)  # their F() became columns (f_expressions.py)
        for argument in _arguments(chain):
            argument.visit(inner)
            argument.visit(_Names(models - {"F"}) if argument in values else names)
        if inner.found:
            found.reasons.append(f"{_source(inner.found[0])}: a queryset inside a queryset")
        elif names.found:
            found.reasons.append(f"{names.found[0]}(...) in a query: an ORM expression")
        else:
            found.translations[chain] = translation
    reached: list[str] = []
    pending = sorted(_called(view) & set(functions) - {view.name.value})
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.append(name)
        pending.extend(sorted(_called(functions[name]) & set(functions) - set(reached)))
    for name in sorted(reached):
        if name in querying:
            found.reasons.append(f"calls {name}(), which queries Django's ORM")
    calm = [functions[name] for name in sorted(reached) if name not in querying]
    for function in [view, *calm]:
        leftovers = _Leftovers(models, set(chains.found))
        function.body.visit(leftovers)
        found.reasons.extend(f"{function.name.value}: {reason}" for reason in leftovers.reasons)
    found.reasons = list(dict.fromkeys(found.reasons))
    return found


def module_functions(tree: cst.Module) -> dict[str, cst.FunctionDef]:
    return {node.name.value: node for node in tree.body if isinstance(node, cst.FunctionDef)}


def module_view_queries(
    tree: cst.Module,
    views: set[str],
    models: frozenset[str],
    querying: set[str],
    relations: Relations,
    model_modules: dict[str, str],
) -> dict[str, ViewQueries]:
    """The plan of each of `views` (function names of `tree`) that reaches the ORM; the models
    its queries use (`model_modules`: local name -> the module it comes from) must come from one
    module, imported as `tables`."""
    functions = module_functions(tree)
    plans = {
        name: view_queries(functions[name], functions, models, querying, relations)
        for name in sorted(views & querying & set(functions))
    }
    for plan in plans.values():
        if len(used_modules(plan, model_modules)) > 1:
            plan.reasons.append("its queries' models come from more than one models module")
    return plans


def used_modules(plan: ViewQueries, model_modules: dict[str, str]) -> set[str]:
    """The models modules the plan's translations use (as `tables.<Model>`)."""
    return {
        module
        for translation in plan.translations.values()
        for local, module in model_modules.items()
        if re.search(rf"\b{TABLES}\.{re.escape(local)}\b", translation.code)
    }
