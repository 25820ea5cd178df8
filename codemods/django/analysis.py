"""What the Django rules need to know of the whole legacy project before converting a module:
its URL patterns (the report's route inventory) and its function views' decorators.

The root URLconf is `ROOT_URLCONF` of the settings module (`--settings`, else
`DJANGO_SETTINGS_MODULE`, else the one `manage.py`/`wsgi.py`/`asgi.py` set), when it is inside
SRC; every other module of SRC assigning `urlpatterns` that no `include()` reaches is a root
too (an app folder given alone). `include()` is followed in its string and module forms and
through the URLconf's imports, with the prefixes and namespaces applied. Only `ast` is used
(libcst for the views whose queries may become `select()`, view_queries.py): the legacy project
is never imported.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import libcst as cst

from codemods.django.ajax_reads import reads_ajax_header
from codemods.django.app_facts import read_apps
from codemods.django.class_orm import class_attribute, class_orm_uses, runtime_aliases
from codemods.django.decorators import Resolver, decorator_reason, served_relations
from codemods.django.drf_routers import (
    ViewSetFacts,
    joined_route,
    router_routes,
    router_variables,
    viewset_facts_of,
)
from codemods.django.drf_settings import ChosenCallable, chosen_callable, project_sets
from codemods.django.function_templates import template_reasons
from codemods.django.helper_twins import HelperCall, form_twin_reasons, twin_reasons
from codemods.django.listed_patterns import NameImport, names_read
from codemods.django.manager_dispatch import dispatches, string_attributes
from codemods.django.managers import read_managers
from codemods.django.model_free_views import model_free_class_views
from codemods.django.model_methods import with_method_twins
from codemods.django.model_modules import model_modules, relative_module, user_model_names
from codemods.django.model_relations import read_relations
from codemods.django.orm_use import model_names, orm_views, querying_methods, reaches_orm
from codemods.django.post_reads import PostReads, post_reads
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.seek_pagination import SeekArgument, seek_callables
from codemods.django.site_root import SiteRoot, site_root
from codemods.django.template_reads import read_models
from codemods.django.user_relations import UserRelation, read_user_relations
from codemods.django.view_queries import ViewQueries, loose_form_saves, module_view_queries
from codemods.engine.ast_names import calls_in
from codemods.engine.parsed import ParsedModules, parse_ast_shared, parse_shared, run_trees
from codemods.engine.route_translation import NOTE_START
from codemods.engine.runner import Target, is_test_module

ModulePath = tuple[str, ...]  # a module's path under SRC, as parts (`("blog", "api.py")`)

SETTINGS_ENV = "DJANGO_SETTINGS_MODULE"
SETTINGS_CALL = re.compile(r"""["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
METHOD_DECORATORS: dict[str, tuple[str, ...]] = {
    "require_GET": ("GET",),
    "require_POST": ("POST",),
    "require_safe": ("GET", "HEAD"),
}


@dataclass(frozen=True)
class RoutePart:
    """One `path()`/`re_path()` route string on the way to a pattern (include prefixes first)."""

    text: str
    regex: bool


@dataclass(frozen=True)
class ViewRef:
    kind: str  # function | class | include | other
    module: ModulePath | None  # the view's module under SRC (None: outside SRC, or unknown)
    name: str  # the function or class name; for `other`/`include`, the expression's code


@dataclass(frozen=True)
class UrlPattern:
    urlconf: ModulePath  # the URLconf module the pattern is written in
    line: int
    parts: tuple[RoutePart, ...]
    name: str | None  # with its namespaces: `api:post_detail`
    view: ViewRef
    note: str | None = None  # why its path may differ from Django's (an unreached URLconf)
    view_code: str = ""  # the view as written in the URLconf (`api.post_detail`)
    # why a person registers it (added under a condition, or through another module's list
    # whose names clash with the URLconf's): reported, never registered by the codemod
    by_hand: str | None = None
    # the extra keyword arguments Django passes the view (`path(..., kwargs={"slug": ""})`), as
    # written, and their keys (None: not a dict with literal string keys)
    view_kwargs: str | None = None
    view_kwargs_keys: tuple[str, ...] | None = None
    # what the URLconf imports to register it, when written in a list of another module
    imports: tuple[NameImport, ...] = ()
    # the test of the URLconf's top-level `if` it is added under (`settings.ST_UPLOAD_ENABLED`):
    # registered under the same `if` in the generated URLconf
    condition: str | None = None

    @property
    def route(self) -> str:
        """The pattern as written, include prefixes applied (regex parts in `^...$`)."""
        return "".join(f"^{p.text.lstrip('^')}" if p.regex else p.text for p in self.parts)


@dataclass(frozen=True)
class Include:
    """An `include()` of a URLconf of SRC: mounted under its own route, in the including one."""

    urlconf: ModulePath  # the including URLconf
    line: int
    part: RoutePart  # the include's own route (the prefix it adds)
    included: ModulePath


@dataclass(frozen=True)
class ViewInfo:
    """What a function view's decorators say."""

    methods: tuple[str, ...] | None = None  # require_http_methods and friends
    login_required: bool = False
    csrf_exempt: bool = False
    others: tuple[str, ...] = ()  # decorators not converted, as written
    params: tuple[str, ...] = ()  # its parameters, in order (`request` first)
    required: tuple[str, ...] = ()  # those without a default
    star_args: bool = False  # takes *args or **kwargs
    is_async: bool = False
    uses_orm: bool = True  # its code reaches Django's ORM (see orm_use.py)
    # its querysets all become select() (view_queries.py): it no longer reaches the ORM
    queries_converted: bool = False
    orm_reasons: tuple[str, ...] = ()  # what keeps its queries on Django's ORM
    # login_required is above the method decorator: Django checks the login first, then the
    # method (the route takes every method and checks them after the login)
    login_before_methods: bool = False
    # its return annotation as written (`HttpResponse`): no response model for FastAPI to make
    returns: str | None = None
    # decorator kept as written -> why it may not answer as in Django (None: it does;
    # decorators.py)
    decorator_reasons: tuple[tuple[str, str | None], ...] = ()
    # the user's relations its kept decorators read, given through SQLAlchemy (user_relations.py)
    user_relations: tuple[str, ...] = ()
    reads_ajax: bool = False  # it reads the AJAX header (ajax_reads.py)
    post_reads: PostReads | None = None  # what it reads of `request.POST` (post_reads.py)


@dataclass(frozen=True)
class ClassBase:
    """A base class as written, resolved: a class of SRC (`module` set) or an outside name."""

    module: ModulePath | None
    name: str  # the class name in `module`; else the dotted name it is imported as
    code: str  # as written in the class statement (`generic.ListView`)


@dataclass(frozen=True)
class ClassInfo:
    """What a module-level class says of itself: its bases and the methods it defines."""

    bases: tuple[ClassBase, ...]
    methods: tuple[str, ...]
    decorators: tuple[str, ...] = ()
    orm_uses: tuple[str, ...] = ()  # what its own body reaches Django's ORM by (class_orm.py)
    # the querying code of SRC's other modules its body calls (_OutsideQueries), as reasons
    outside_queries: tuple[str, ...] = ()
    # those its methods on `self` call that get a translated twin: (reason, call)
    outside_twins: tuple[tuple[str, HelperCall], ...] = ()
    form_class: ClassBase | None = None  # `form_class = ...` of its body, resolved
    # `getattr(Model.objects, self.<attribute>)` in its body: (model, attribute)
    dispatches: tuple[tuple[str, str], ...] = ()
    strings: tuple[tuple[str, str], ...] = ()  # its class attributes holding a string
    post_reads: PostReads | None = None  # what its body reads of `request.POST` (post_reads.py)


@dataclass
class DjangoAnalysis:
    root: Path | None = None
    settings_module: str | None = None
    root_urlconf: str | None = None
    patterns: list[UrlPattern] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    roots: list[ModulePath] = field(default_factory=list)  # the URLconfs the app serves
    # the modules a URLconf's view is imported through (`views/__init__.py` re-exporting the
    # view of `views/search.py`)
    reexports: set[ModulePath] = field(default_factory=set)
    # the roots the project's ROOT_URLCONF does not reach: the legacy project never imports them
    unserved_roots: list[ModulePath] = field(default_factory=list)
    # a root's prefix, where the site outside SRC includes it (site_root.py)
    root_prefixes: dict[ModulePath, RoutePart] = field(default_factory=dict)
    views: dict[tuple[ModulePath, str], ViewInfo] = field(default_factory=dict)
    classes: dict[tuple[ModulePath, str], ClassInfo] = field(default_factory=dict)
    append_slash: bool = True
    # for the models and forms rules (app_facts.py)
    app_labels: dict[str, str] = field(default_factory=dict)
    auto_fields: dict[str, str] = field(default_factory=dict)
    models_sources: list[str] = field(default_factory=list)
    label_models: dict[str, tuple[str, ...]] = field(default_factory=dict)
    app_packages: set[tuple[str, ...]] = field(default_factory=set)
    # a converted function view -> its calls of other modules' helpers that get translated
    # twins, and each helper module -> the functions twinned in its output (helper_twins.py)
    helper_calls: dict[tuple[ModulePath, str], tuple[HelperCall, ...]] = field(default_factory=dict)
    twinned: dict[ModulePath, set[str]] = field(default_factory=dict)
    managers_sources: list[str] = field(default_factory=list)  # custom QuerySets, Managers
    user_relations: dict[str, UserRelation] = field(default_factory=dict)
    # a module's names handing a queryset to the seek paginator (seek_pagination.py)
    seekers: dict[ModulePath, dict[str, SeekArgument]] = field(default_factory=dict)
    # the modules parsed by libcst here, which the runner then converts from the same trees
    parsed: ParsedModules = field(default_factory=run_trees, repr=False, compare=False)

    def patterns_of_view(self, module: ModulePath, name: str) -> list[UrlPattern]:
        return [
            p
            for p in self.patterns
            if p.view.kind == "function" and p.view.module == module and p.view.name == name
        ]

    def patterns_of_class(self, module: ModulePath, name: str) -> list[UrlPattern]:
        return [
            p
            for p in self.patterns
            if p.view.kind == "class" and p.view.module == module and p.view.name == name
        ]

    def patterns_in(self, urlconf: ModulePath) -> list[UrlPattern]:
        return [p for p in self.patterns if p.urlconf == urlconf]


def dotted(module: ModulePath) -> str:
    parts = [*module[:-1], module[-1].removesuffix(".py")]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


class _Modules:
    """The modules of SRC by dotted name (relative to SRC), parsed on demand."""

    def __init__(self, target: Target) -> None:
        self.root = target.root
        self.paths: dict[str, ModulePath] = {}
        for path in target.files:
            relative = path.relative_to(target.root)
            if not is_test_module(relative):
                self.paths[dotted(relative.parts)] = relative.parts
        self._trees: dict[ModulePath, ast.Module | None] = {}
        self._folders = Path(target.root).resolve().parts
        self._found: dict[str, ModulePath | None] = {}  # `find`'s answers: asked per call site

    def _inside(self, name: str, known: str) -> bool:
        """Whether `name` is `known` under the dotted path of the folders SRC is in."""
        if not name.endswith("." + known):
            return False
        prefix = tuple(name[: -len(known) - 1].split("."))
        return self._folders[-len(prefix) :] == prefix

    def find(self, name: str) -> ModulePath | None:
        """The module of SRC a dotted name means: itself, or the longest SRC-relative suffix
        after the folders SRC is in (`dj_rest_auth.views` in SRC `dj_rest_auth`, not
        `rest_framework.views`)."""
        if name in self._found:
            return self._found[name]
        best: str | None = None
        for known in self.paths:
            matches = known and (name == known or self._inside(name, known))
            if matches and (best is None or len(known) > len(best)):
                best = known
        found = self._found[name] = self.paths[best] if best is not None else None
        return found

    def tree(self, module: ModulePath) -> ast.Module | None:
        if module not in self._trees:
            try:
                source = self.root.joinpath(*module).read_text(encoding="utf-8")
                self._trees[module] = parse_ast_shared(source)
            except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
                self._trees[module] = None
        return self._trees[module]


def _absolute(module: ModulePath, level: int, name: str | None) -> str:
    """The dotted name (relative to SRC) of `from <level dots><name> import ...` in `module`."""
    package = [part for part in dotted(module).split(".") if part]
    if module[-1] != "__init__.py":
        package = package[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)]
    return ".".join([*package, *([name] if name else [])])


def _imports(module: ModulePath, tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted name it stands for (`api` -> `blog.api`,
    `drafts` -> `blog.views.drafts`), relative imports made relative to SRC."""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.level, node.module) if node.level else node.module or ""
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
    # imports of a module-level `if`/`try` (django-todo's `if HAS_TASK_MERGE: from
    # todo.views.task_autocomplete import TaskAutocomplete`, beside the pattern it appends),
    # where the module binds the name nowhere else; not `if TYPE_CHECKING:`, which never runs
    # (postman's views import AbstractBaseUser there for annotations: no model it queries)
    for node in tree.body:
        if isinstance(node, ast.If) and _type_checking(node.test):
            continue
        if isinstance(node, ast.If | ast.Try):
            inner = ast.Module(body=list(_branches(node)), type_ignores=[])
            for name, dotted_name in _imports(module, inner).items():
                names.setdefault(name, dotted_name)
    return names


def _type_checking(test: ast.expr) -> bool:
    """Whether an `if` tests `TYPE_CHECKING` (`typing.TYPE_CHECKING`)."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _branches(node: ast.If | ast.Try) -> list[ast.stmt]:
    """The statements of every branch of a module-level `if` or `try`."""
    found = [*node.body, *node.orelse]
    if isinstance(node, ast.Try):
        found += [s for handler in node.handlers for s in handler.body] + node.finalbody
    return found


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


TRANSLATIONS = frozenset(
    {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ugettext_lazy"}
)


def _translated_route(node: ast.expr, names: dict[str, str]) -> tuple[str | None, str | None]:
    """(the untranslated route, why the path may differ) of a route marked for translation
    (`pgettext_lazy("context", r"^inbox/$")`); (None, None) for anything else."""
    if not isinstance(node, ast.Call) or not node.args:
        return None, None
    function = ast.unparse(node.func)
    if names.get(function, function).rsplit(".", 1)[-1] not in TRANSLATIONS:
        return None, None
    route = _string(node.args[-1])
    if route is None:
        return None, None
    return route, (
        f"{NOTE_START} ({function}()): Django serves the active language's "
        "translation; the new path is the untranslated route"
    )


def _literal_keys(node: ast.expr | None) -> tuple[str, ...] | None:
    """The keys of a dict display whose keys are all string literals (`{"slug": ""}`)."""
    if not isinstance(node, ast.Dict):
        return None
    keys = [_string(key) for key in node.keys]
    return tuple(k for k in keys if k is not None) if None not in keys else None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _string_assignment(tree: ast.Module, name: str) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return _string(node.value)
    return None


URLPATTERNS_METHODS = ("append", "extend")
REEXPORT_HOPS = 4  # how many re-exporting modules are followed to a view's definition
BY_HAND = ": register it by hand"


def _urlpattern_nodes(tree: ast.Module) -> list[tuple[ast.expr, str | None, str | None]]:
    """The elements of `urlpatterns = [...]`, `urlpatterns += [...]`, `urlpatterns.append(...)`
    and `.extend([...])`; anything else added (`router.urls`, a list by name) is one element.
    Those under an `if` or `try` come with why a person registers them (the condition), but
    those added (not assigned) in the body of a top-level `if` after `urlpatterns` is first
    assigned, its test written by no other top-level `if`, which come with that test (the
    generated URLconf registers them under the same `if`: `conditional_test`)."""
    found: list[tuple[ast.expr, str | None, str | None]] = []
    tests = [ast.unparse(n.test) for n in tree.body if isinstance(n, ast.If)]

    def elements(value: ast.expr, by_hand: str | None, condition: str | None) -> None:
        if isinstance(value, ast.List | ast.Tuple):
            found.extend((element, by_hand, condition) for element in value.elts)
        elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            elements(value.left, by_hand, condition)
            elements(value.right, by_hand, condition)
        else:
            found.append((value, by_hand, condition))

    def visit(statements: list[ast.stmt], by_hand: str | None, condition: str | None) -> None:
        assigned = False  # `urlpatterns = ...` met (the router exists from there on)
        for node in statements:
            value = _urlpatterns_value(node)
            if value is not None and condition is not None and not isinstance(node, ast.AugAssign):
                elements(value, f"assigned to urlpatterns under `if {condition}`{BY_HAND}", None)
            elif value is not None:
                assigned = assigned or not isinstance(node, ast.AugAssign)
                elements(value, by_hand, condition)
            elif (method := urlpatterns_method(node)) is not None and node.value.args:  # type: ignore[attr-defined]
                argument = node.value.args[0]  # type: ignore[attr-defined]
                if method == "append":
                    found.append((argument, by_hand, condition))
                else:
                    elements(argument, by_hand, condition)
            elif isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if statements is tree.body and assigned and tests.count(test) == 1:
                    visit(node.body, None, test)
                else:
                    why = f"added to urlpatterns under `if {condition or test}`{BY_HAND}"
                    visit(node.body, by_hand or why, None)
                visit(node.orelse, by_hand or f"added in the else of `if {test}`{BY_HAND}", None)
            elif isinstance(node, ast.Try):
                inside = by_hand or f"added to urlpatterns inside a `try` block{BY_HAND}"
                for block in (node.body, *(h.body for h in node.handlers), node.orelse):
                    visit(block, inside, None)

    visit(tree.body, None, None)
    return found


def conditional_test(code: str) -> str:
    """A top-level `if`'s test as `_urlpattern_nodes` writes it (`ast.unparse`), from its
    source text: the generated URLconf finds the `if` a pattern was added under by it."""
    return ast.unparse(ast.parse(code.strip(), mode="eval").body)


def _conditional_by_hand(condition: str | None) -> str | None:
    return f"added to urlpatterns under `if {condition}`{BY_HAND}" if condition else None


def _urlpatterns_value(node: ast.stmt) -> ast.expr | None:
    """What `urlpatterns = ...`, `urlpatterns: T = ...` or `urlpatterns += ...` gives it."""
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "urlpatterns" for t in node.targets
    ):
        return node.value
    if (
        isinstance(node, ast.AugAssign | ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "urlpatterns"
    ):
        return node.value
    return None


def urlpatterns_method(node: ast.stmt) -> str | None:
    """`append`/`extend` of a statement `urlpatterns.append(...)`/`.extend(...)`."""
    if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call):
        return None
    function = node.value.func
    if (
        isinstance(function, ast.Attribute)
        and isinstance(function.value, ast.Name)
        and function.value.id == "urlpatterns"
        and function.attr in URLPATTERNS_METHODS
    ):
        return function.attr
    return None


def _list_elements(tree: ast.Module, name: str) -> list[ast.expr] | None:
    """The elements of the module-level list assigned to `name` (`name = [...]`), if any."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            return list(node.value.elts)
    return None


def _pattern_list(tree: ast.Module, name: str) -> bool:
    """The module assigns `name` a list or tuple at its top level (annotated or not)."""
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            return True
    return _list_elements(tree, name) is not None


def _assigns_urlpatterns(tree: ast.Module) -> bool:
    return any(
        (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in node.targets)
        )
        or (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "urlpatterns"
            and node.value is not None
        )
        for node in tree.body
    )


class _Collector:
    def __init__(self, modules: _Modules) -> None:
        self.modules = modules
        self.patterns: list[UrlPattern] = []
        self.includes: list[Include] = []
        self.reached: set[ModulePath] = set()
        self.roots: list[ModulePath] = []
        self.reexports: set[ModulePath] = set()  # modules a view is imported through
        # walk each URLconf once (a site outside SRC is the root: SRC's other URLconfs are
        # served only where they include a URLconf it has not reached)
        self.once = False

    def root(
        self,
        module: ModulePath,
        note: str | None = None,
        prefix: tuple[RoutePart, ...] = (),
        namespace: tuple[str, ...] = (),
    ) -> None:
        self.roots.append(module)
        self.urlconf(module, prefix, namespace, note=note)

    def urlconf(
        self,
        module: ModulePath,
        prefix: tuple[RoutePart, ...] = (),
        namespace: tuple[str, ...] = (),
        note: str | None = None,
        seen: tuple[ModulePath, ...] = (),
    ) -> None:
        tree = self.modules.tree(module)
        if tree is None or module in seen or (self.once and module in self.reached):
            return
        self.reached.add(module)
        names = _imports(module, tree)
        for node, by_hand, condition in _urlpattern_nodes(tree):
            listed = self.named_list(module, tree, names, node)
            if listed is None:
                self.entry(
                    module, names, node, prefix, namespace, note, (*seen, module), by_hand,
                    condition=condition,
                )  # fmt: skip
                continue
            by_hand = by_hand or _conditional_by_hand(condition)  # a list by name: by hand
            where, where_names, elements = listed
            for element in elements:
                imports: tuple[NameImport, ...] | str = ()
                if where != module:  # the URLconf imports the names the element reads
                    imports = self.list_imports(module, names, where, where_names, element)
                self.entry(
                    module,
                    where_names,
                    element,
                    prefix,
                    namespace,
                    note,
                    (*seen, module),
                    by_hand or (imports if isinstance(imports, str) else None),
                    node.lineno,
                    imports if isinstance(imports, tuple) else (),
                )

    def list_imports(
        self,
        module: ModulePath,
        names: dict[str, str],
        where: ModulePath,
        where_names: dict[str, str],
        element: ast.expr,
    ) -> tuple[NameImport, ...] | str:
        """What URLconf `module` imports to register `element` of a list of module `where`
        (listed_patterns.py), or why it cannot."""
        found: list[NameImport] = []
        tree = self.modules.tree(module)
        for name in names_read([element]):
            if name in ("path", "re_path", "url", "include") or name in dir(builtins):
                continue
            wanted = self.origin(where, where_names, name)
            binds = name in names or (tree is not None and _defines(tree, name))
            if binds and self.origin(module, names, name) != wanted:
                return (
                    f"added to urlpatterns through the list of {dotted(where)}, whose name "
                    f"{name} means another thing in this URLconf{BY_HAND}"
                )
            if not binds:
                found.append(wanted)
        return tuple(found)

    def named_list(
        self, module: ModulePath, tree: ast.Module, names: dict[str, str], node: ast.expr
    ) -> tuple[ModulePath, dict[str, str], list[ast.expr]] | None:
        """(its module, that module's names, its elements) of a list of patterns added to
        urlpatterns by name: assigned in this module, or imported from one of SRC."""
        if not isinstance(node, ast.Name):
            return None
        local = _list_elements(tree, node.id)
        if local is not None:
            return module, names, local
        owner, _, attribute = names.get(node.id, "").rpartition(".")
        found = self.modules.find(owner) if owner else None
        other = self.modules.tree(found) if found else None
        if found is None or other is None:
            return None
        elements = _list_elements(other, attribute)
        return None if elements is None else (found, _imports(found, other), elements)

    def origin(self, module: ModulePath, names: dict[str, str], name: str) -> NameImport:
        """Where `name`, as module `module` binds it, is defined: a module of SRC, or the
        module outside SRC it is imported from."""
        owner, original = _defining(self.modules, module, name)
        tree = self.modules.tree(module)
        if owner == module and name in names and not (tree is not None and _defines(tree, name)):
            outside, _, original = names[name].rpartition(".")
            return NameImport(name, original, None, outside or None)
        return NameImport(name, original, owner)

    def entry(
        self,
        module: ModulePath,
        names: dict[str, str],
        node: ast.expr,
        prefix: tuple[RoutePart, ...],
        namespace: tuple[str, ...],
        note: str | None,
        seen: tuple[ModulePath, ...],
        by_hand: str | None = None,
        line: int | None = None,
        imports: tuple[NameImport, ...] = (),
        condition: str | None = None,
    ) -> None:
        """One element of a URLconf's patterns (`line`: where it is added, when it is written
        in another list; `imports`: what the URLconf imports for it then; `condition`: the test
        of the top-level `if` adding it, kept for a view's pattern, else by hand)."""
        line = line or node.lineno
        code = ast.unparse(node)
        call = node if isinstance(node, ast.Call) else None
        function = names.get(ast.unparse(call.func), ast.unparse(call.func)) if call else ""
        kind = function.rsplit(".", 1)[-1]
        route = _string(call.args[0]) if call and call.args else None
        if call is not None and call.args and route is None:
            route, translated = _translated_route(call.args[0], names)
            note = note or translated
        view = call.args[1] if call is not None and len(call.args) > 1 else None
        if call is not None and view is None:
            view = _keyword(call, "view")
        included = isinstance(view, ast.Call) and names.get(
            ast.unparse(view.func), ast.unparse(view.func)
        ).endswith("include")
        if condition is not None and (
            call is None or kind not in ("path", "re_path", "url") or route is None or included
        ):  # only a view's own pattern is registered under the `if`
            by_hand, condition = by_hand or _conditional_by_hand(condition), None
        if self.router(module, names, node, prefix, namespace, note, by_hand, line):
            return
        if call is None or kind not in ("path", "re_path", "url") or route is None:
            other = ViewRef("other", None, code)
            self.patterns.append(
                UrlPattern(module, line, prefix, None, other, note, by_hand=by_hand)
            )
            return
        parts = (*prefix, RoutePart(route, kind != "path"))
        name = _string(call.args[3] if len(call.args) > 3 else _keyword(call, "name"))
        full_name = ":".join([*namespace, name]) if name else None
        if included and isinstance(view, ast.Call):
            self.include(module, names, line, view, parts, namespace, note, seen)
            return
        extra = call.args[2] if len(call.args) > 2 else _keyword(call, "kwargs")
        self.patterns.append(
            UrlPattern(
                module,
                line,
                parts,
                full_name,
                self.view(names, view),
                note,
                ast.unparse(view) if view is not None else "",
                by_hand,
                ast.unparse(extra) if extra is not None else None,
                _literal_keys(extra),
                imports,
                condition,
            )
        )

    def include(
        self,
        module: ModulePath,
        names: dict[str, str],
        line: int,
        call: ast.Call,
        parts: tuple[RoutePart, ...],
        namespace: tuple[str, ...],
        note: str | None,
        seen: tuple[ModulePath, ...],
    ) -> None:
        argument = call.args[0] if call.args else None
        explicit = _string(_keyword(call, "namespace"))
        if isinstance(argument, ast.Tuple) and argument.elts:  # include((patterns, app_name))
            argument = argument.elts[0]
        target = _string(argument)
        if target is None and argument is not None:
            target = names.get(ast.unparse(argument), ast.unparse(argument))
        if argument is not None and self.router(
            module, names, argument, parts, namespace, note, None, line, joined=True
        ):
            return
        included = self.modules.find(target) if target else None
        if included is None:
            code = ast.unparse(call)
            ref = ViewRef("include", None, code)
            tree = self.modules.tree(module)
            listed = argument.id if isinstance(argument, ast.Name) else None
            by_hand = None
            if listed is not None and tree is not None and _pattern_list(tree, listed):
                by_hand = (
                    f"{code}: includes {listed}, a list of patterns of this URLconf, which the "
                    "codemod does not read through include(): register them by hand"
                )
            self.patterns.append(UrlPattern(module, line, parts, None, ref, note, by_hand=by_hand))
            return
        tree = self.modules.tree(included)
        app_name = _string_assignment(tree, "app_name") if tree else None
        label = explicit or app_name
        found = Include(module, line, parts[-1], included)
        if found not in self.includes:
            self.includes.append(found)
        inner = (*namespace, label) if label else namespace
        self.urlconf(included, parts, inner, note, seen)

    def router(
        self,
        module: ModulePath,
        names: dict[str, str],
        node: ast.expr,
        parts: tuple[RoutePart, ...],
        namespace: tuple[str, ...],
        note: str | None,
        by_hand: str | None,
        line: int,
        joined: bool = False,
    ) -> bool:
        """`X.urls` of a Django REST framework router X of this module (drf_routers.py): one
        pattern per route DRF makes, added under `parts` (`joined`: the last part is the
        include's own route, joined to each route's: the routes are this URLconf's own)."""
        tree = self.modules.tree(module)
        if not (
            tree is not None
            and isinstance(node, ast.Attribute)
            and node.attr == "urls"
            and isinstance(node.value, ast.Name)
            and node.value.id in router_variables(tree)
        ):
            return False
        for route in router_routes(tree, node.value.id, lambda c: self._viewset(names, c)):
            own = RoutePart(route.route, route.regex)
            if joined:
                text, regex = joined_route(parts[-1].text, parts[-1].regex, own.text, own.regex)
                found = (*parts[:-1], RoutePart(text, regex))
            else:
                found = (*parts, own)
            owner, name = None, "rest_framework.routers.APIRootView"
            if route.viewset_code:
                owner, name = self._resolve(names, route.viewset_code)
            view = ViewRef("class", owner, name)
            if route.by_hand and not route.viewset_code:  # a registration not read
                view = ViewRef("other", None, f"{node.value.id}.register(...)")
            full_name = ":".join([*namespace, route.name]) if route.name else None
            self.patterns.append(
                UrlPattern(
                    module,
                    line,
                    found,
                    full_name,
                    view,
                    note,
                    route.view_code,
                    by_hand or route.by_hand,
                )
            )
        return True

    def _viewset(
        self, names: dict[str, str], code: str, seen: tuple[str, ...] = ()
    ) -> ViewSetFacts | None:
        """The facts of the viewset class written `code` where `names` are the imports."""
        owner, name = self._resolve(names, code)
        tree = self.modules.tree(owner) if owner is not None else None
        if owner is None or tree is None or code in seen:
            return None
        node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
        if node is None:
            return None
        own = _imports(owner, tree)
        local = {
            n.name: f"{dotted(owner)}.{n.name}" for n in tree.body if isinstance(n, ast.ClassDef)
        }
        bases: list[ViewSetFacts | str] = []
        for base in node.bases:
            base_code = ast.unparse(base)
            inner = self._viewset({**local, **own}, base_code, (*seen, code))
            head, _, rest = base_code.partition(".")
            bases.append(inner or own.get(head, head) + (f".{rest}" if rest else ""))
        return viewset_facts_of(node, bases, own)

    def view(self, names: dict[str, str], node: ast.expr | None) -> ViewRef:
        if node is None:
            return ViewRef("other", None, "")
        code = ast.unparse(node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "as_view"
        ):
            owner, name = self._resolve(names, ast.unparse(node.func.value))
            return ViewRef("class", owner, name)
        if isinstance(node, ast.Name | ast.Attribute):
            owner, name = self._resolve(names, code)
            bound = self._bound_class_view(owner, name) if owner is not None else None
            if bound is not None:  # `done = PasswordResetDone.as_view()` in its module
                return bound
            if owner is not None:
                return ViewRef("function", owner, name)
        return ViewRef("other", None, code)

    def _bound_class_view(self, module: ModulePath, name: str) -> ViewRef | None:
        """The class-based view `name` is bound to at the top of `module` by a bare
        `Class.as_view()` (no arguments: the class's own attributes are what it serves),
        that class resolved as a URLconf's `Class.as_view()` is."""
        tree = self.modules.tree(module)
        value = _class_view_binding(tree, name) if tree is not None else None
        if tree is None or value is None:
            return None
        local = {
            n.name: f"{dotted(module)}.{n.name}" for n in tree.body if isinstance(n, ast.ClassDef)
        }
        owner, found = self._resolve({**_imports(module, tree), **local}, ast.unparse(value))
        return ViewRef("class", owner, found)

    def _resolve(self, names: dict[str, str], code: str) -> tuple[ModulePath | None, str]:
        """(the module under SRC defining it, its name there) of a view written `api.detail` or
        `detail`, through re-exports (`views.list_lists` of `from .list_lists import
        list_lists` in `views/__init__.py`)."""
        head, _, rest = code.partition(".")
        full = names.get(head, head) + (f".{rest}" if rest else "")
        module, _, name = full.rpartition(".")
        found = self.modules.find(module) if module else None
        return _defining(self.modules, found, name, self.reexports)


def _defining(
    modules: _Modules,
    module: ModulePath | None,
    name: str,
    reexports: set[ModulePath] | None = None,
) -> tuple[ModulePath | None, str]:
    """The module of SRC that defines `name` (a def, class or assignment at module level),
    following `from x import name [as alias]` of modules of SRC from `module`; `module` itself
    when it does not import `name` from one. The modules passed through are added to
    `reexports` (`views/__init__.py`: `from todo.views.search import search`)."""
    for _ in range(REEXPORT_HOPS):
        tree = modules.tree(module) if module is not None else None
        if module is None or tree is None or _defines(tree, name):
            break
        owner, _, original = _imports(module, tree).get(name, "").rpartition(".")
        found = modules.find(owner) if owner else None
        if found is None or (found, original) == (module, name):
            break
        if reexports is not None:
            reexports.add(module)
        module, name = found, original
    return module, name


def _function_lookup(
    modules: _Modules, module: ModulePath, names: dict[str, str]
) -> Callable[[str], ast.FunctionDef | ast.AsyncFunctionDef | None]:
    """The top-level function of SRC a name called in `module` stands for (`is_ajax`,
    `views.is_ajax`), through its imports and re-exports."""

    def lookup(code: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        head, _, rest = code.partition(".")
        full = names.get(head, "") + (f".{rest}" if rest else "")
        owner, _, name = full.rpartition(".")
        start = modules.find(owner) if owner else (module if not rest else None)
        found, name = _defining(modules, start, name or code)
        tree = modules.tree(found) if found is not None else None
        for node in tree.body if tree is not None else ():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
                return node
        return None

    return lookup


def _defines(tree: ast.Module, name: str) -> bool:
    """A top-level `def`/`class`/assignment of `name` in the module."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                return True
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
    return False


def _decorator_info(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ViewInfo:
    methods: tuple[str, ...] | None = None
    login = exempt = login_first = False
    others: list[str] = []
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = ast.unparse(call.func if call else decorator).rsplit(".", 1)[-1]
        if call is None and name in METHOD_DECORATORS:
            methods = METHOD_DECORATORS[name]
        elif (
            call is not None
            and name == "require_http_methods"
            and call.args
            and isinstance(call.args[0], ast.List | ast.Tuple)
            and all(_string(e) for e in call.args[0].elts)
        ):
            methods = tuple(str(_string(e)).upper() for e in call.args[0].elts)
        elif call is None and name == "login_required":
            login = True
            login_first = methods is None
        elif call is None and name == "csrf_exempt":
            exempt = True
        else:
            others.append(ast.unparse(decorator))
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    params = [a.arg for a in positional] + [a.arg for a in arguments.kwonlyargs]
    with_default = len(arguments.defaults)
    required = [a.arg for a in positional[: len(positional) - with_default]] + [
        a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is None
    ]
    return ViewInfo(
        methods,
        login,
        exempt,
        tuple(others),
        tuple(params),
        tuple(required),
        arguments.vararg is not None or arguments.kwarg is not None,
        isinstance(function, ast.AsyncFunctionDef),
        login_before_methods=login and login_first and methods is not None,
        returns=ast.unparse(function.returns) if function.returns is not None else None,
    )


def _settings_module(modules: _Modules, given: str | None) -> str | None:
    if given:
        return given
    if os.environ.get(SETTINGS_ENV):
        return os.environ[SETTINGS_ENV]
    for candidate in sorted(modules.paths.values(), key=len):
        if candidate[-1] in ("manage.py", "wsgi.py", "asgi.py"):
            text = modules.root.joinpath(*candidate).read_text(encoding="utf-8", errors="replace")
            found = SETTINGS_CALL.search(text)
            if found:
                return found.group(1)
    return None


def _site_roots(
    modules: _Modules, collector: _Collector, analysis: DjangoAnalysis, site: SiteRoot
) -> None:
    """SRC's URLconfs that the root URLconf of a site outside SRC includes (a reusable app
    given with the settings of a project serving it): roots, under the site's prefixes and
    namespaces."""
    analysis.root_urlconf = site.urlconf
    for include in site.includes:
        module = modules.find(include.target)
        included = modules.tree(module) if module else None
        if module is None or included is None:
            continue
        prefix = (RoutePart(include.route, include.regex),) if include.route else ()
        label = include.namespace or _string_assignment(included, "app_name")
        collector.roots.append(module)
        collector.urlconf(module, prefix, (label,) if label else ())
        if prefix:  # create_app() includes the root's router there
            analysis.root_prefixes[module] = prefix[0]


def analyse(target: Target, settings: str | None = None) -> DjangoAnalysis:
    modules = _Modules(target)
    analysis = DjangoAnalysis(root=target.root)
    facts = read_apps(target.root)
    analysis.app_labels = facts.app_labels
    analysis.auto_fields = facts.auto_fields
    analysis.models_sources = facts.models_sources
    analysis.managers_sources = facts.managers_sources
    analysis.label_models = facts.label_models
    analysis.app_packages = facts.app_packages
    analysis.settings_module = _settings_module(modules, settings)
    settings_path = modules.find(analysis.settings_module) if analysis.settings_module else None
    settings_tree = modules.tree(settings_path) if settings_path else None
    if settings_tree is not None:
        analysis.root_urlconf = _string_assignment(settings_tree, "ROOT_URLCONF")
        for node in settings_tree.body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "APPEND_SLASH" for t in node.targets)
                and isinstance(node.value, ast.Constant)
                and node.value.value is False
            ):
                analysis.append_slash = False
    collector = _Collector(modules)
    root = modules.find(analysis.root_urlconf) if analysis.root_urlconf else None
    site = site_root(target.root, analysis.settings_module) if root is None else None
    if root is not None:
        collector.root(root)
    elif site is not None:  # a site outside SRC serves SRC's URLconfs
        _site_roots(modules, collector, analysis, site)
        collector.once = bool(collector.roots)
    for module in sorted(modules.paths.values()):
        tree = modules.tree(module)
        if module in collector.reached or tree is None or not _assigns_urlpatterns(tree):
            continue
        if root is not None or collector.once:  # a URLconf ROOT_URLCONF does not reach
            note = "not reached from ROOT_URLCONF: served without an include() prefix"
            collector.root(module, note=note)
            analysis.unserved_roots.append(module)
    if root is None and not collector.once:  # an app folder: the URLconfs no other includes
        included = _included_by_others(modules, collector)
        for module in sorted(modules.paths.values()):
            tree = modules.tree(module)
            if tree is not None and _assigns_urlpatterns(tree) and module not in included:
                collector.root(module)
    analysis.patterns = collector.patterns
    analysis.includes = collector.includes
    analysis.reexports = collector.reexports
    analysis.roots = collector.roots
    known_queries: dict[ModulePath, set[str]] = {}
    analysis.user_relations = read_user_relations(target.root)
    served = frozenset(analysis.user_relations)
    for module in modules.paths.values():
        tree = modules.tree(module)
        names = _imports(module, tree) if tree is not None else {}
        reaching = orm_views(tree, names) if tree is not None else set()
        class_views = (
            _class_view_names(tree) - model_free_class_views(tree, names)
            if tree is not None
            else set()
        )
        outside_queries = _OutsideQueries(
            modules,
            known_queries,
            analysis.models_sources,
            analysis.managers_sources,
            analysis.settings_module,
        )
        functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)] if tree else []
        outside_of = {f.name: outside_queries(f, names) for f in functions}
        served_views = {
            p.view.name
            for p in analysis.patterns
            if p.view.kind == "function" and p.view.module == module
        }
        twins_of = {
            f.name: outside_queries.twins(f, names)
            for f in functions
            if f.name in served_views and outside_of[f.name]
        }
        twins_of = {  # only a view whose every outside call has a twin can leave the ORM
            name: twins for name, twins in twins_of.items() if set(outside_of[name]) == set(twins)
        }
        staying = {name for name, found in outside_of.items() if found}
        called_by = {id(f): _called_names(f) for f in functions}  # each walked once
        calls = {f.name: called_by[id(f)] for f in functions}
        changed = True
        while changed:  # and the module's functions calling one of those, transitively
            changed = False
            for name, called in calls.items():
                if name not in staying and called & staying:
                    outside_of[name] = [_through_helper(sorted(called & staying)[0])]
                    staying.add(name)
                    changed = True
        planned = (reaching - staying) | set(twins_of)
        queries = _view_queries(modules, module, names, planned, analysis)
        for node in tree.body if tree is not None else ():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                info = _decorator_info(node)
                if tree is not None and node.name in served_views:
                    lookup = _function_lookup(modules, module, names)
                    info = replace(
                        info,
                        reads_ajax=reads_ajax_header(node, lookup),
                        post_reads=post_reads(node, set(model_names(names))),
                    )
                if info.others and tree is not None:
                    resolve = _resolver(modules, module, tree, names)
                    kept = {
                        d: decorator_reason(d, names, resolve, served) for d in node.decorator_list
                    }
                    why = tuple((ast.unparse(d), r) for d, r in kept.items())
                    read = {
                        name
                        for d, r in kept.items()
                        if r is None
                        for name in served_relations(d, names, resolve, served)
                    }
                    info = replace(info, decorator_reasons=why, user_relations=tuple(sorted(read)))
                plan = queries.get(node.name)
                plan = None if plan is not None and plan.helper else plan
                converted = plan is not None and plan.converted
                called = called_by.get(id(node)) or _called_names(node)
                delegated = sorted(called & class_views)
                outside = outside_of.get(node.name) or []
                if node.name in served_views and outside_of.get(node.name):
                    outside = [*outside, *outside_queries.why_no_twin(node, names)]
                twins = twins_of.get(node.name, {})
                if twins and converted and not delegated:  # the helpers' twins run its queries
                    outside = [reason for reason in outside if reason not in twins]
                    analysis.helper_calls[(module, node.name)] = tuple(twins.values())
                    for call in twins.values():
                        analysis.twinned.setdefault(call.module, set()).add(call.name)
                if converted and plan is not None:  # `form.save(commit=...)`: a twin's only
                    twinned = twins if twins and not delegated else {}
                    forms = {call.local for call in twinned.values() if call.form}
                    outside = [*outside, *loose_form_saves(plan, _assigned_calls(node, forms))]
                analysis.views[(module, node.name)] = replace(
                    info,
                    uses_orm=(node.name in reaching and not converted)
                    or bool(delegated)
                    or bool(outside),
                    queries_converted=converted and not outside,
                    orm_reasons=(
                        *(plan.reasons if plan is not None else ()),
                        *(
                            f"it calls the class-based view {name} (Django's generic code, its "
                            "queries on Django's ORM)"
                            for name in delegated
                        ),
                        *outside,
                    ),
                )
            elif isinstance(node, ast.ClassDef):
                found = _class_info(modules, module, names, node)
                orm_uses = class_orm_uses(node, model_names(names), reaching)
                outside = outside_queries(node, names)  # as for function views, above
                outside += [_through_helper(n) for n in sorted(_called_names(node) & staying)]
                analysis.classes[(module, node.name)] = replace(
                    found,
                    orm_uses=orm_uses,
                    outside_queries=tuple(outside),
                    outside_twins=_class_twins(node, names, outside_queries),
                )
    return analysis


class _OutsideQueries:
    """The functions and classes of SRC's other modules a view calls that query through
    Django's ORM (a helper `toggle_task_completed(task.id)`, a `CSVImporter()`, a `ModelForm`):
    the view runs those queries too, on Django's ORM."""

    def __init__(
        self,
        modules: _Modules,
        known: dict[ModulePath, set[str]],
        models_sources: list[str] | None = None,
        managers_sources: list[str] | None = None,
        settings_module: str | None = None,
    ) -> None:
        self.modules = modules
        self.settings_module = settings_module  # the project's, for settings-chosen callables
        self.known = known  # module -> its names that query (shared by the modules' views)
        self.models_sources = models_sources or []
        self.managers_sources = managers_sources or []
        self.twin_known: dict[tuple[ModulePath, str], list[str]] = {}

    def querying(self, module: ModulePath) -> set[str]:
        if module not in self.known:
            tree = self.modules.tree(module)
            found: set[str] = set()
            if tree is not None:
                imports = _imports(module, tree)
                found = set(orm_views(tree, imports))
                classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
                users = user_model_names(tree)  # `model = User`: a ModelForm saving users
                found |= {node.name for node in classes if reaches_orm(node, imports, users)}
                for node in classes:  # in order: a subclass of a querying class queries too
                    if any(ast.unparse(base) in found for base in node.bases):
                        found.add(node.name)
                found |= {
                    f"{node.name}.{method}"
                    for node in classes
                    if node.name in found
                    for method in querying_methods(node, imports)
                }
            self.known[module] = found
        return self.known[module]

    def calls(
        self, function: ast.AST, names: dict[str, str]
    ) -> list[tuple[str, str, ModulePath, str]]:
        """(reason, callee as written, module, name) of each querying callee of another module."""
        found: list[tuple[str, str, ModulePath, str]] = []
        for node in calls_in(function):
            callee = ast.unparse(node.func)
            head, _, rest = callee.partition(".")
            if head not in names:
                continue
            full = names[head] + (f".{rest}" if rest else "")
            owner, _, name = full.rpartition(".")
            module = self.modules.find(owner) if owner else None
            if module is None and rest and head not in model_names(names):
                # `RecoveryCodes.activate(user)`: a static or class method of another module's
                # class (a model's own methods are the view's queries, model_method_calls.py)
                owner, _, klass = owner.rpartition(".")
                module = self.modules.find(owner) if owner else None
                name = f"{klass}.{name}"
            if module is not None and name in self.querying(module):
                reason = f"it calls {callee} ({dotted(module)}), which queries on Django's ORM"
                if all(reason != known[0] for known in found):
                    found.append((reason, callee, module, name))
            elif module is not None and (chosen := self.chosen(module, name)) is not None:
                default, (where, default_name) = chosen
                reason = (
                    f"it calls {callee}, which {default.describe()} chooses: its default "
                    f"{default.default} ({dotted(where)}) queries on Django's ORM"
                    + self.choice(default)
                )
                if all(reason != known[0] for known in found):
                    found.append((reason, callee, where, default_name))
        return found

    def choice(self, default: ChosenCallable) -> str:
        """Whether the project's settings (read, not imported) leave the setting unset."""
        if default.setting is None:
            return ""
        sets = project_sets(self.settings_module, self.modules.root, default.setting)
        if sets is None:
            return ""
        if sets:
            return f" ({self.settings_module} sets {default.setting}: what it chooses is not read)"
        return f" ({self.settings_module} leaves {default.setting} unset: the default is called)"

    def chosen(
        self, module: ModulePath, name: str
    ) -> tuple[ChosenCallable, tuple[ModulePath, str]] | None:
        """`api_settings.TOKEN_CREATOR` of `module`, a callable the project's settings choose
        (drf_settings.py), with its default's module and name when that default queries."""
        obj, _, key = name.partition(".")
        tree = self.modules.tree(module)
        if tree is None or not key or "." in key:
            return None
        default = chosen_callable(tree, obj, key)
        if default is None:
            return None
        owner, _, function = default.default.rpartition(".")
        where = self.modules.find(owner)
        if where is None or function not in self.querying(where):
            return None
        return default, (where, function)

    def __call__(self, function: ast.AST, names: dict[str, str]) -> list[str]:
        return [reason for reason, *_ in self.calls(function, names)]

    def twins(self, function: ast.AST, names: dict[str, str]) -> dict[str, HelperCall]:
        """reason -> the helper call, for the querying callees of other modules that get a
        translated twin (helper_twins.py): functions called by their imported name, static
        methods by their class's (`RecoveryCodes.get_unused_codes`)."""
        return {
            reason: HelperCall(callee, module, name, form=self.is_class(module, name))
            for reason, callee, module, name in self.calls(function, names)
            if ("." not in callee or callee == name) and self.twinnable(module, name)
        }

    def is_class(self, module: ModulePath, name: str) -> bool:
        tree = self.modules.tree(module)
        return tree is not None and any(
            isinstance(n, ast.ClassDef) and n.name == name for n in tree.body
        )

    def twinnable(self, module: ModulePath, name: str) -> bool:
        return not self.no_twin(module, name)

    def no_twin(self, module: ModulePath, name: str) -> list[str]:
        """Why `name` of `module` gets no translated twin (empty: it gets one)."""
        key = (module, name)
        if key not in self.twin_known:
            self.twin_known[key] = self._no_twin(module, name)
        return self.twin_known[key]

    def _no_twin(self, module: ModulePath, name: str) -> list[str]:
        tree = self.modules.tree(module)
        owner, _, method = name.rpartition(".")
        found = next(
            (n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)
             and n.name == (owner or name)), None
        ) if tree is not None else None  # fmt: skip
        if tree is None or found is None:
            return [f"{name} is not a module-level function or class"]
        imports = _imports(module, tree)
        if owner:  # a static method: its own calls of its class's querying methods have no twin
            assert isinstance(found, ast.ClassDef)
            function = next(
                (n for n in found.body if isinstance(n, ast.FunctionDef) and n.name == method),
                None,
            )
            if function is None:
                return [f"{name} is not a method defined in its class"]
            siblings = sorted(
                callee
                for node in calls_in(function)
                for callee in [ast.unparse(node.func)]
                if callee != name and callee in self.querying(module)
            )
            if siblings:
                return [f"{name} calls {', '.join(siblings)} of its class, which query"]
            found = function
        try:
            text = self.modules.root.joinpath(*module).read_text(encoding="utf-8")
            source = parse_shared(text)
        except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
            return [f"{name}: its module does not parse"]
        if isinstance(found, ast.ClassDef) and not owner:
            reasons = form_twin_reasons(
                found, imports, self.models_sources, source, self.managers_sources
            )
            return self(found, imports) + reasons
        return self(found, imports) + twin_reasons(source, name, imports, self.models_sources)

    def why_no_twin(self, function: ast.AST, names: dict[str, str]) -> list[str]:
        """For each querying callee of another module that gets no twin, why (the first
        reason), for a person."""
        found = []
        for _, callee, module, name in self.calls(function, names):
            if "." in callee and callee != name:
                why = "it is called through its module (only a name imported alone is)"
                behind = self.no_twin(module, name)  # what a call by its name would meet
                why += f"; called by its name: {behind[0]}" if behind else ""
            else:
                reasons = self.no_twin(module, name)
                why = reasons[0] if reasons else ""
            if why:
                found.append(f"{callee} gets no translated twin: {why}")
        return found


def _class_twins(
    node: ast.ClassDef, names: dict[str, str], outside: _OutsideQueries
) -> tuple[tuple[str, HelperCall], ...]:
    """(reason, call) of the querying callees of other modules class `node` calls that get a
    twin, when only its methods on `self` call them (they pass `self.session`)."""
    twins = outside.twins(node, names)
    if not twins:
        return ()
    on_self = [
        s
        for s in node.body
        if isinstance(s, ast.FunctionDef)
        and not s.decorator_list
        and s.args.args
        and s.args.args[0].arg == "self"
    ]
    rest = ast.ClassDef(
        name=node.name,
        bases=node.bases,
        keywords=node.keywords,
        body=[s for s in node.body if s not in on_self],
        decorator_list=node.decorator_list,
    )
    elsewhere = set(outside(rest, names))
    return tuple((r, call) for r, call in twins.items() if r not in elsewhere)


def _through_helper(helper: str) -> str:
    """Why code calling `helper` of its module, which calls into another module's querying
    code, stays on Django's ORM."""
    return f"it calls {helper}(), which queries on Django's ORM in another module"


def _class_view_binding(tree: ast.Module, name: str) -> ast.expr | None:
    """The class of the module's only top-level binding of `name`, when it is
    `name = Class.as_view()` without arguments."""
    values = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]
    if len(values) != 1 or sum(_defines(ast.Module([n], []), name) for n in tree.body) != 1:
        return None
    call = values[0]
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "as_view"
        and not call.args
        and not call.keywords
    ):
        return call.func.value
    return None


def _class_view_names(tree: ast.Module) -> set[str]:
    """The module-level names bound to a class-based view (`_login_view = Login.as_view()`)."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "as_view"
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _assigned_calls(function: ast.AST, callees: set[str]) -> set[str]:
    """The names `function` assigns a call of one of `callees` to (`form = NoteForm(...)`)."""
    return {
        target.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in callees
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _called_names(function: ast.AST) -> set[str]:
    return {node.func.id for node in calls_in(function) if isinstance(node.func, ast.Name)}


def _resolver(
    modules: _Modules, module: ModulePath, tree: ast.Module, names: dict[str, str]
) -> Resolver:
    """The tree and imports of a module of SRC by dotted name (`""`: `module` itself)."""

    def resolve(name: str) -> tuple[ast.Module, dict[str, str]] | None:
        if not name:
            return tree, names
        found = modules.find(name)
        other = modules.tree(found) if found is not None else None
        return (other, _imports(found, other)) if found is not None and other else None

    return resolve


def _view_queries(
    modules: _Modules,
    module: ModulePath,
    names: dict[str, str],
    reaching: set[str],
    analysis: DjangoAnalysis,
) -> dict[str, ViewQueries]:
    """The query plans of the module's function views that reach the ORM."""
    views = {
        p.view.name
        for p in analysis.patterns
        if p.view.kind == "function" and p.view.module == module
    } - _api_views(modules.tree(module))  # DRF runs those, on Django's ORM
    if not views & reaching:
        return {}
    try:
        tree = analysis.parsed.parse(modules.root.joinpath(*module).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
        return {}
    relations = read_relations(analysis.models_sources)
    managers = read_managers(analysis.models_sources)
    methods = read_queryset_methods([*analysis.models_sources, *analysis.managers_sources])
    methods = with_method_twins(methods, analysis.models_sources)
    models = model_names(names)
    defined = model_modules(analysis.root, analysis.label_models)
    known = set(defined.values())
    owners = {local: relative_module(names[local].rpartition(".")[0], known) for local in models}
    classes = {local: names[local].rpartition(".")[2] for local in models}
    facts = read_models(analysis.models_sources, relations)
    check = partial(template_reasons, root=modules.root, classes=classes, facts=facts)
    source = modules.tree(module)
    models |= user_model_names(source) if source is not None else frozenset()
    if source is not None:
        seekers = seek_callables(names, _resolver(modules, module, source, names))
        analysis.seekers[module] = seekers
    return module_view_queries(
        tree, views, models, reaching, relations, owners, managers, methods, check, defined,
        analysis.seekers.get(module),
    )  # fmt: skip


def _api_views(tree: ast.Module | None) -> set[str]:
    """The module's functions decorated with Django REST framework's `@api_view`."""
    return {
        node.name
        for node in (tree.body if tree is not None else ())
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(
            ast.unparse(d).split("(", 1)[0].rsplit(".", 1)[-1] == "api_view"
            for d in node.decorator_list
        )
    }


def _class_info(
    modules: _Modules, module: ModulePath, names: dict[str, str], node: ast.ClassDef
) -> ClassInfo:
    tree = modules.tree(module)
    aliases = runtime_aliases(tree) if tree is not None else {}

    def resolved(expression: ast.expr, depth: int = 0) -> ClassBase:
        code = ast.unparse(expression)
        head, _, rest = code.partition(".")
        if not rest and head in aliases and depth < 3:  # _FormViewBase = FormView
            target = resolved(aliases[head], depth + 1)
            return ClassBase(target.module, target.name, code)
        if code == "object" and (tree is None or not _defines(tree, "object")):  # as it runs
            return ClassBase(None, "object", code)
        if head not in names:  # a class of the same module
            return ClassBase(module if not rest else None, code, code)
        full = names[head] + (f".{rest}" if rest else "")
        owner, _, name = full.rpartition(".")
        found = modules.find(owner) if owner else None
        return ClassBase(found, name if found else full, code)

    bases = [resolved(base) for base in node.bases]
    methods = tuple(
        item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    )
    decorators = tuple(ast.unparse(d) for d in node.decorator_list)
    form = class_attribute(node, "form_class")
    form_class = resolved(form) if isinstance(form, ast.Name | ast.Attribute) else None
    return ClassInfo(
        tuple(bases),
        methods,
        decorators,
        form_class=form_class,
        dispatches=dispatches(node),
        strings=string_attributes(node),
        post_reads=post_reads(node, set(model_names(names))),
    )


def _included_by_others(modules: _Modules, collector: _Collector) -> set[ModulePath]:
    """The URLconfs of SRC that another URLconf of SRC includes."""
    probe = _Collector(modules)
    for module in sorted(modules.paths.values()):
        tree = modules.tree(module)
        if tree is not None and _assigns_urlpatterns(tree):
            before = set(probe.reached)
            probe.urlconf(module)
            probe.reached = before | (probe.reached - {module})
    return probe.reached


def module_tree(analysis: DjangoAnalysis, module: ModulePath) -> ast.Module | None:
    """The syntax tree of `module` of SRC (None where there is no SRC, or it does not parse), a
    fresh one: callers edit it (`row_mixins`), so it is not the run's shared tree."""
    return _module_tree(analysis, module, ast.parse)


def read_module_tree(analysis: DjangoAnalysis, module: ModulePath) -> ast.Module | None:
    """`module_tree` for a caller that only reads it: the run's shared tree (parsed.py)."""
    return _module_tree(analysis, module, parse_ast_shared)


def _module_tree(
    analysis: DjangoAnalysis, module: ModulePath, parse: Callable[[str], ast.Module]
) -> ast.Module | None:
    if analysis.root is None:
        return None
    try:
        return parse(Path(analysis.root, *module).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None
