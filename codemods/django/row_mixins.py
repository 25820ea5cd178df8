"""Whether a mixin of SRC may stay among the bases of a view whose objects become SQLAlchemy rows
(class_rows.py): it must neither query nor see the objects, so that the rows mixin, put first in
the bases, is all that changes.

    class ExplorerContextMixin:                       # stays: it adds plain values
        def get_context_data(self, **kwargs):
            ctx = super().get_context_data(**kwargs)
            ctx.update({"can_view": can_view(self.request)})
            return ctx

    class ListConnectionsView(PermissionRequiredMixin, ExplorerContextMixin, ListView):
        model = DatabaseConnection

A mixin keeps the view on Django's ORM when its body reaches the ORM (class_orm.py), calls
querying code of another module, defines a method that sees the objects (`get_queryset`,
`get_object`, a handler), reads `object`/`object_list`, or has a base the codemod does not read
(its own bases must be such mixins too).

Methods the served view overrides (`overridden`: the `get_queryset` and the helpers
inherited_queryset.py copies into it, translated) are left out of those checks: the view never
runs the mixin's own.
"""

from __future__ import annotations

import ast

from codemods.django.analysis import (
    ClassInfo,
    DjangoAnalysis,
    ModulePath,
    module_tree,
    read_module_tree,
)
from codemods.django.analysis import _imports as imports_of
from codemods.django.class_orm import class_orm_uses
from codemods.django.orm_use import model_names, orm_views

# methods of Django's generic views that see the objects (a mixin defining one keeps the ORM)
OBJECT_METHODS = frozenset(
    {"get_queryset", "get_object", "get", "post", "delete", "form_valid", "paginate_queryset"}
)  # fmt: skip
OBJECT_NAMES = frozenset({"object", "object_list", "objects"})


def mixin_problem(
    analysis: DjangoAnalysis,
    module: ModulePath,
    name: str,
    overridden: frozenset[str] = frozenset(),
) -> str | None:
    """Why class `name` of `module` cannot stay under the rows mixin (None: it can); the
    served view overrides the methods `overridden`."""
    return _problem(analysis, module, name, (), overridden)


def _problem(
    analysis: DjangoAnalysis,
    module: ModulePath,
    name: str,
    seen: tuple[tuple[ModulePath, str], ...],
    overridden: frozenset[str],
) -> str | None:
    info = analysis.classes.get((module, name))
    if info is None or (module, name) in seen:
        return f"base {name} is not a module-level class the codemod reads"
    own = _own_problem(analysis, module, name, info, overridden)
    if own is not None:
        return f"base {name} {own}"
    for base in info.bases:
        if base.module is None:
            if base.name != "object":
                return f"base {name} is built on {base.name}, a class the codemod does not read"
            continue
        problem = _problem(analysis, base.module, base.name, (*seen, (module, name)), overridden)
        if problem is not None:
            return problem
    return None


def _own_problem(
    analysis: DjangoAnalysis,
    module: ModulePath,
    name: str,
    info: ClassInfo,
    overridden: frozenset[str],
) -> str | None:
    node = _class_node(analysis, module, name, overridden) if overridden else None
    orm_uses = info.orm_uses
    if node is not None and overridden & set(info.methods):
        orm_uses = _orm_uses(analysis, module, node)
    if orm_uses:
        return f"reaches Django's ORM: {', '.join(orm_uses)}"
    if info.outside_queries:
        return f"calls querying code: {info.outside_queries[0]}"
    defined = sorted(OBJECT_METHODS & (set(info.methods) - overridden))
    if defined:
        return f"defines {', '.join(defined)}(): it sees the objects"
    node = node or _class_node(analysis, module, name, overridden)
    if node is None:
        return "is not a class whose module parses"
    for item in ast.walk(node):
        if (isinstance(item, ast.Attribute) and item.attr in OBJECT_NAMES) or (
            isinstance(item, ast.Constant) and item.value in OBJECT_NAMES
        ):
            return f"reads {ast.unparse(item)}: the objects"
    return None


def _class_node(
    analysis: DjangoAnalysis, module: ModulePath, name: str, overridden: frozenset[str]
) -> ast.ClassDef | None:
    """The class's node, without the methods in `overridden`."""
    tree = module_tree(analysis, module)
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.ClassDef) and node.name == name:
            node.body = [
                s
                for s in node.body
                if not (isinstance(s, ast.FunctionDef) and s.name in overridden)
            ] or [ast.Pass()]
            return node
    return None


def _orm_uses(analysis: DjangoAnalysis, module: ModulePath, node: ast.ClassDef) -> tuple[str, ...]:
    """What the class's body (without its overridden methods) reaches Django's ORM by."""
    tree = read_module_tree(analysis, module)
    if tree is None:
        return ("its module does not parse",)
    names = imports_of(module, tree)
    return class_orm_uses(node, model_names(names), orm_views(tree, names))
