"""A row view (class_rows.py) whose `get_queryset` comes from a mixin of SRC: the served class
gets its own copy of it, its chain a `select()` on the rows, with the mixins' helpers it calls
(copied too, the current site read on the session), so the mixins stay as written for the
module's other views, which keep Django's querysets (django-newsletter's views):

    class SiteViewBase:
        def get_site(self, request=None):
            ...
            return get_current_site(request)

    class NewsletterViewBase(SiteViewBase):
        slug_url_kwarg = "newsletter_slug"

        def get_queryset(self):
            site = self.get_site()
            return Newsletter.objects.filter(visible=True, site__id=site.id)

    class NewsletterDetailView(NewsletterViewBase, DetailView):
        pass
->  class NewsletterDetailView(SelectedObjects, NewsletterViewBase, DetailView):
        def get_site(self, request=None):
            ...
            return current_site(self.session, request, tables.SitesSite)

        def get_queryset(self):
            site = self.get_site()
            return self.rows(ordered(select(tables.Newsletter).where(...)))

What is copied: the `get_queryset` the view's method resolution order finds first in a class of
the view's module (no class from outside SRC before it), made of a docstring, assignments of
names to values that reach no ORM but by the helpers below, then `return <chain>`, and no
`super()`; each `self.<helper>(...)` it calls that a class of the module (in that order, before
any outside class) defines, reaching the ORM by `get_current_site(...)` alone (runtime
sites.py: `current_site`, the `SitesSite` row the models rule generates), with no `super()` nor
other `self.<method>()` call. The view defines none of them itself.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath, read_module_tree
from codemods.django.analysis import _imports as imports_of
from codemods.django.orm_use import ORM_CALLS, model_names
from codemods.django.sites_site import SITE_CLASS

QUERYSET_METHOD = "get_queryset"
SITE_CALL = "get_current_site"
SITES_RUNTIME = ("codemods.runtime.django.sites", "current_site")

Key = tuple[ModulePath | None, str]  # (module of SRC, class) or (None, an outside dotted name)


@dataclass
class Copies:
    """The methods the served class gets copies of (name -> the class of its module defining
    it), or why it cannot."""

    owners: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    site: bool = False  # a helper reads the current site (runtime current_site)


def _mro(analysis: DjangoAnalysis, key: Key, seen: tuple[Key, ...] = ()) -> list[Key]:
    """Python's C3 linearization of a class of SRC (outside classes as leaves)."""
    info = analysis.classes.get(key) if key[0] is not None else None  # type: ignore[arg-type]
    if info is None or key in seen:
        return [key]
    bases: list[Key] = [(b.module, b.name) for b in info.bases]
    sequences = [_mro(analysis, base, (*seen, key)) for base in bases] + [bases]
    result: list[Key] = [key]
    while any(sequences):
        sequences = [s for s in sequences if s]
        head = next(
            (s[0] for s in sequences if not any(s[0] in other[1:] for other in sequences)), None
        )
        if head is None:  # no consistent order: Python would refuse the class
            return [key]
        result.append(head)
        sequences = [s[1:] if s[0] == head else s for s in sequences]
    return result


def _methods(tree: ast.Module, name: str) -> dict[str, ast.FunctionDef]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return {s.name: s for s in node.body if isinstance(s, ast.FunctionDef)}
    return {}


def _defining(
    analysis: DjangoAnalysis, mro: list[Key], module: ModulePath, method: str
) -> tuple[str | None, str | None]:
    """(the class of SRC defining `method` first along `mro`, the view's own included, why it
    cannot be copied: another module's, or a class outside SRC before it that may define it);
    (None, None): no class of SRC defines it."""
    outside: str | None = None
    for owner, name in mro:
        if owner is None:
            outside = outside or (None if name == "object" else name)
            continue
        info = analysis.classes.get((owner, name))
        if info is None or method not in info.methods:
            continue
        if owner != module:
            return None, f"{method}() is {name}'s, a class of another module"
        if outside is not None:
            return None, f"{method}() may come from {outside}, a class outside SRC, first"
        return name, None
    return None, None


def _self_calls(node: ast.AST) -> set[str]:
    return {
        item.func.attr
        for item in ast.walk(node)
        if isinstance(item, ast.Call)
        and isinstance(item.func, ast.Attribute)
        and isinstance(item.func.value, ast.Name)
        and item.func.value.id == "self"
    }


def _calls_super(node: ast.AST) -> bool:
    return any(
        isinstance(item, ast.Call) and isinstance(item.func, ast.Name) and item.func.id == "super"
        for item in ast.walk(node)
    )


def _orm_names(node: ast.AST, models: frozenset[str]) -> set[str]:
    found = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Name) and item.id in models | ORM_CALLS:
            found.add(item.id)
        elif isinstance(item, ast.Attribute) and item.attr == "objects":
            found.add(ast.unparse(item))
    return found


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def copied_methods(analysis: DjangoAnalysis, module: ModulePath, name: str) -> Copies | None:
    """The copies class `name` of `module` needs, or None: it inherits no `get_queryset` of a
    class of SRC (or defines its own)."""
    tree = read_module_tree(analysis, module)
    if tree is None or QUERYSET_METHOD in _methods(tree, name):
        return None
    mro = _mro(analysis, (module, name))
    owner, problem = _defining(analysis, mro, module, QUERYSET_METHOD)
    if owner is None:
        return Copies(problem=problem) if problem else None
    copies = Copies(owners={QUERYSET_METHOD: owner})
    models = model_names(imports_of(module, tree))
    method = _methods(tree, owner).get(QUERYSET_METHOD)
    if method is None:
        copies.problem = f"{owner}.{QUERYSET_METHOD}() is not a method the codemod reads"
        return copies
    body = [s for s in method.body if not _is_docstring(s)]
    if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        copies.problem = f"{owner}.{QUERYSET_METHOD}() does not end by returning a queryset"
        return copies
    for statement in body[:-1]:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            copies.problem = (
                f"{owner}.{QUERYSET_METHOD}(): {ast.unparse(statement).splitlines()[0]!r} "
                "is not an assignment of a name"
            )
            return copies
        if _orm_names(statement, models):
            copies.problem = f"{owner}.{QUERYSET_METHOD}(): {ast.unparse(statement)!r} queries"
            return copies
    if _calls_super(method):
        copies.problem = f"{owner}.{QUERYSET_METHOD}() calls super()"
        return copies
    for helper in sorted(_self_calls(method)):
        problem = _helper(analysis, mro, module, tree, models, helper, copies)
        if problem is not None:
            copies.problem = problem
            return copies
    copies.problem = _other_callers(mro, module, tree, copies)
    return copies


def _other_callers(
    mro: list[Key], module: ModulePath, tree: ast.Module, copies: Copies
) -> str | None:
    """A method of the view's classes, not copied, calling a copied helper (it would get the
    copy's rows)."""
    helpers = set(copies.owners) - {QUERYSET_METHOD}
    for owner, name in mro:
        if owner != module:
            continue
        for method, node in _methods(tree, name).items():
            if (name, method) in {(o, m) for m, o in copies.owners.items()}:
                continue
            called = sorted(_self_calls(node) & helpers)
            if called:
                return f"{name}.{method}() calls {called[0]}() too, which the copy changes"
    return None


def _helper(
    analysis: DjangoAnalysis,
    mro: list[Key],
    module: ModulePath,
    tree: ast.Module,
    models: frozenset[str],
    helper: str,
    copies: Copies,
) -> str | None:
    """Why the helper `self.<helper>()` cannot be copied (None: it is, or is Django's:
    `get_ordering`)."""
    owner, problem = _defining(analysis, mro, module, helper)
    if owner is None:
        return problem
    if owner == mro[0][1]:
        return f"{owner}.{helper}() is the view's own: it is not copied"
    method = _methods(tree, owner).get(helper)
    if method is None:
        return f"{owner}.{helper}() is not a method the codemod reads"
    if _calls_super(method) or _self_calls(method):
        return f"{owner}.{helper}() calls another method of the view"
    reached = _orm_names(method, models) - {SITE_CALL}
    if reached:
        return f"{owner}.{helper}() reaches Django's ORM: {', '.join(sorted(reached))}"
    copies.owners[helper] = owner
    copies.site = copies.site or SITE_CALL in _orm_names(method, models)
    return None


def method_node(tree: cst.Module, owner: str, method: str) -> cst.FunctionDef | None:
    """The libcst node of `owner.method` in the module."""
    for statement in tree.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == owner:
            for item in statement.body.body:
                if isinstance(item, cst.FunctionDef) and item.name.value == method:
                    return item
    return None


class _SiteOnSession(cst.CSTTransformer):
    """`get_current_site(request)` -> `current_site(self.session, request, tables.SitesSite)`."""

    def __init__(self, tables: str) -> None:
        self.tables = tables

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if not (isinstance(func, cst.Name) and func.value == SITE_CALL):
            return updated_node
        request = updated_node.args[0].value if updated_node.args else cst.Name("None")
        return cst.Call(
            func=cst.Name(SITES_RUNTIME[1]),
            args=[
                cst.Arg(cst.parse_expression("self.session")),
                cst.Arg(request),
                cst.Arg(cst.parse_expression(f"{self.tables}.{SITE_CLASS}")),
            ],
        )


def site_on_session(method: cst.FunctionDef, tables: str) -> cst.FunctionDef:
    """The helper with the current site read on the route's session."""
    found = method.visit(_SiteOnSession(tables))
    assert isinstance(found, cst.FunctionDef)
    return found


class _Replace(cst.CSTTransformer):
    def __init__(self, node: cst.CSTNode, code: str) -> None:
        self.node, self.code = node, code

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        return cst.parse_expression(self.code) if original_node is self.node else updated_node


def with_rows(method: cst.FunctionDef, returned: cst.CSTNode, code: str) -> cst.FunctionDef:
    """The `get_queryset` copy returning `code` (the rows) in place of `returned`."""
    found = method.visit(_Replace(returned, code))
    assert isinstance(found, cst.FunctionDef)
    return found


def returned_value(method: cst.FunctionDef) -> cst.BaseExpression | None:
    """The value of the method's last statement, a `return`."""
    body = method.body.body
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1:
        small = last.body[0]
        if isinstance(small, cst.Return):
            return small.value
    return None
