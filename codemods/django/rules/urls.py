"""URLconfs -> FastAPI routers: `urlpatterns` becomes `router = APIRouter()` with one
`add_api_route` per function or class-based view, in Django's order, and `include()` of a URLconf
of SRC becomes `router.include_router(its_router, prefix=...)`. Names keep their namespaces
(`api:post_detail`). Patterns added through a list of another module (`urlpatterns +=
assistant_urls`) are registered here too, the names they read imported (listed_patterns.py).
Every pattern is reported as a route; those not registered (URLconfs outside
SRC, classes that are no Django view, regexes with no path equivalent) are `manual`, listed in a
TODO comment, and stay on the legacy side.

    path("posts/<int:pk>/", api.post_detail, name="post_detail")
->  router.add_api_route("/posts/{pk:int}/", api.post_detail, methods=[...], name="api:post_detail")
    path("posts/<slug:slug>/", views.PostDetail.as_view(), name="post")
->  router.add_api_route("/posts/{slug:django_slug}/", class_view(views.PostDetail.as_view(),
                         slug=str), methods=["GET", "HEAD", "OPTIONS"], name="blog:post")
"""

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import (
    DjangoAnalysis,
    Include,
    ModulePath,
    conditional_test,
    dotted,
)
from codemods.django.class_views import MIXINS_MODULE
from codemods.django.drf_routers import RENAMED
from codemods.django.listed_patterns import NameImport
from codemods.django.plans import RoutePlan, fastapi_prefix, plan, prefix_problem
from codemods.django.post_reads import PostReads
from codemods.django.rules.view_imports import relative_to
from codemods.engine.context import add_import
from codemods.engine.edit import without_imported_names
from codemods.engine.findings import TODO_PREFIX, Status
from codemods.engine.nodes import dotted_name
from codemods.engine.route_conditions import DETAIL as CONDITION
from codemods.engine.route_translation import hold
from codemods.engine.rule import Rule
from codemods.engine.walk import in_order

DRF_ROUTER = "drf_route(drf_router,"
URL_FUNCTIONS = frozenset({"path", "re_path", "include", "url"})
URL_MODULES = frozenset({"django.urls", "django.conf.urls"})


class UrlsRule(Rule):
    name = "urls"
    DESCRIPTION = "URLconfs -> FastAPI routers with typed path parameters."
    triggers = ("urlpatterns",)

    # the relative module (`.views`) -> the class names whose twins the routes serve instead
    twinned: dict[str, set[str]]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        self.twinned = {}
        module = self.state.module_path
        patterns = analysis.patterns_in(module)
        includes = [i for i in analysis.includes if i.urlconf == module]
        if not patterns and not includes:
            return tree
        plans = [plan(analysis, p) for p in patterns]
        self._report(plans, analysis)
        block = self._router_block(plans, includes)
        conditional = self._conditional_lines(plans)
        renamed = (
            _RenameDrfRouters() if any(DRF_ROUTER in p.pattern.view_code for p in plans) else None
        )
        body: list[cst.BaseStatement] = []
        placed = False
        for statement in tree.body:
            if _assigns_urlpatterns(statement):
                if not placed:
                    body.extend(block)
                    placed = True
                continue
            if isinstance(statement, cst.If):  # its patterns registered under the same `if`
                lines = conditional.get(conditional_test(_code(statement.test)))
                if lines and placed:
                    statement = _registered_under(statement, lines)
            if not isinstance(statement, cst.SimpleStatementLine):
                statement = statement.visit(_NestedUrlpatterns())  # type: ignore[assignment]
            if renamed is not None:
                statement = statement.visit(renamed)  # type: ignore[assignment]
            body.append(statement)
        used = _names_used(body)
        body = [kept for s in body if (kept := _without_url_imports(s, used)) is not None]
        for owner, names in sorted(self.twinned.items()):  # the classes their twins replace
            body = without_imported_names(body, owner, names - used)
        return tree.with_changes(body=body)

    def _report(self, plans: list[RoutePlan], analysis: DjangoAnalysis) -> None:
        for item in plans:
            pattern = item.pattern
            finding = self.findings.add("route", pattern.view.name or pattern.view_code)
            finding.line = pattern.line
            finding.status = item.status
            finding.reasons = list(item.reasons)
            finding.details = {
                "django_route": pattern.route,
                "path": item.full_path.path if item.full_path.problem is None else None,
                "name": pattern.name,
                "view": _view_label(item),
                "methods": list(item.methods) if item.registered else [],
            }
            if item.info is not None and item.info.reads_ajax and item.registered:
                finding.details["ajax"] = True  # also called with the AJAX header (probe.py)
            reads = _post_reads(item, analysis)
            if reads is not None and item.registered and "POST" in item.methods:
                finding.details.update(reads.details())  # posted to a POST-only route (probe.py)
            if item.drf_handlers is not None and item.registered:  # what DRF does not 405
                finding.details["drf_handlers"] = list(item.drf_handlers)
            if pattern.condition is not None and item.registered:
                finding.details[CONDITION] = pattern.condition
            if item.translation is not None:
                hold(finding, item.translation, item.status)

    def _router_block(
        self, plans: list[RoutePlan], includes: list[Include]
    ) -> list[cst.BaseStatement]:
        lines: list[str] = []
        imports: list[str] = []
        todo = [
            f"# {TODO_PREFIX} {p.pattern.route!r} ({p.pattern.view_code or p.pattern.view.name}): "
            f"{p.reasons[-1]}"
            for p in plans
            if p.status == Status.manual
        ]
        seen_lines: set[tuple[int, str]] = set()  # a router's patterns share their line
        registered = [p for p in plans if p.registered]
        unconditional = [p for p in registered if p.pattern.condition is None]
        if any(p.own_path.uses_django_convertors for p in registered):
            self.use("codemods.runtime.django.convertors", "django_convertors")
            lines.append("django_convertors()")
        regexes: dict[str, str] = {}
        for item in registered:
            regexes.update(item.own_path.regex_convertors)
        if regexes:
            self.use("codemods.runtime.django.convertors", "regex_convertor")
            lines += [f"regex_convertor({name!r}, {regex!r})" for name, regex in regexes.items()]
        optional: dict[str, str] = {}
        for item in registered:
            optional.update(item.own_path.optional_convertors)
        if optional:
            self.use("codemods.runtime.django.convertors", "optional_convertor")
            lines += [
                f"optional_convertor({name!r}, {group!r})" for name, group in optional.items()
            ]
        converters = list(
            dict.fromkeys(c for p in registered for c in p.own_path.registered_convertors)
        )
        if converters:
            self.use("codemods.runtime.django.convertors", "registered_convertor")
            lines += [f"registered_convertor({name!r})" for name in converters]
        self.use("fastapi", "APIRouter")
        lines.append("router = APIRouter()")
        entries: list[tuple[int, str]] = []
        for item in unconditional:
            key = (item.pattern.line, item.own_path.path)
            if key in seen_lines:
                continue
            seen_lines.add(key)
            entries.append((item.pattern.line, self._route_line(item)))
        imports += _import_lines(
            [i for p in registered for i in p.pattern.imports], self.state.module_path
        )
        for include in includes:
            problem = prefix_problem(include)
            if problem is not None:
                todo.append(f"# {TODO_PREFIX} include at line {include.line}: {problem}")
                continue
            alias = "_".join(dotted(include.included).split(".")) + "_router"
            source = dotted(include.included)
            imports.append(f"from {self.state.to_root}{source} import router as {alias}")
            prefix = fastapi_prefix(include)
            argument = f", prefix={prefix!r}" if prefix else ""
            entries.append((include.line, f"router.include_router({alias}{argument})"))
        entries.sort(key=lambda entry: entry[0])  # stable: a router's patterns keep DRF's order
        lines = [*imports, *lines, *(code for _, code in entries)]
        statements: list[cst.BaseStatement] = list(cst.parse_module("\n".join(lines) + "\n").body)
        if todo:
            index = next(i for i, s in enumerate(statements) if "APIRouter" in _code(s))
            comments = [cst.EmptyLine(comment=cst.Comment(text)) for text in todo]
            first = statements[index]
            assert isinstance(first, cst.SimpleStatementLine)  # router = APIRouter()
            statements[index] = first.with_changes(leading_lines=[*comments, *first.leading_lines])
        return statements

    def _conditional_lines(self, plans: list[RoutePlan]) -> dict[str, list[str]]:
        """The routes of the patterns added under a top-level `if`, by its test, in order."""
        found: dict[str, list[tuple[int, str]]] = {}
        for item in plans:
            condition = item.pattern.condition
            if item.registered and condition is not None:
                found.setdefault(condition, []).append((item.pattern.line, self._route_line(item)))
        return {test: [line for _, line in sorted(lines)] for test, lines in found.items()}

    def _route_line(self, item: RoutePlan) -> str:
        pattern = item.pattern
        arguments = [repr(item.own_path.path), self._endpoint(item)]
        arguments.append("methods=[" + ", ".join(repr(m) for m in item.methods) + "]")
        dependencies = []
        for dependency in item.dependencies:
            if dependency == "CsrfProtected":
                self.use("codemods.runtime.django.dependencies", "CsrfProtected")
            elif dependency == "LoginRequired":
                self.use("codemods.runtime.django.guards", "LoginRequired")
            elif dependency.startswith("methods:"):
                self.use("codemods.runtime.django.guards", "guard")
                self.use("django.views.decorators.http", "require_http_methods")
                allowed = ", ".join(repr(m) for m in dependency.removeprefix("methods:").split(","))
                dependency = f"guard(require_http_methods([{allowed}]))"
            else:
                mixin = dependency.removeprefix("access:")
                self.use(MIXINS_MODULE, mixin)
                self.use("codemods.runtime.django.guards", "access_guard")
                dependency = f"access_guard({mixin}, {_view_class_code(pattern.view_code)})"
            dependencies.append(dependency)
        if dependencies:
            arguments.append("dependencies=[" + ", ".join(dependencies) + "]")
        if item.info is not None and item.info.returns:  # a Django response, not a model
            arguments.append("response_model=None")
        if pattern.name:
            arguments.append(f"name={pattern.name!r}")
        return "router.add_api_route(" + ", ".join(arguments) + ")"

    def _endpoint(self, item: RoutePlan) -> str:
        """The view as written; a class-based view's `as_view()` wrapped by `class_view`, with
        the types of its path parameters."""
        if item.view_class is None:
            endpoint = item.pattern.view_code
            if item.retyped:  # the path's own types (plans.py)
                self.use("codemods.runtime.django.path_types", "with_path_types")
                if "Any" in item.retyped.values():
                    self.use("typing", "Any")
                retyped = ", ".join(f"{n}={t}" for n, t in item.retyped.items())
                endpoint = f"with_path_types({endpoint}, {retyped})"
            if item.view_kwargs is not None:  # path(..., kwargs={...})
                self.use("codemods.runtime.django.path_types", "with_view_kwargs")
                endpoint = f"with_view_kwargs({endpoint}, {item.view_kwargs})"
            return endpoint
        if item.pattern.view_code.startswith("drf_route("):
            self.use("codemods.runtime.django.drf", "drf_route")
        self.use("codemods.runtime.django.views", "class_view")
        types = item.own_path.params
        if "UUID" in types.values():
            self.use("uuid", "UUID")
        if "Any" in types.values():
            self.use("typing", "Any")
        view_code = self._twin(item) if item.view_class.twin else item.pattern.view_code
        arguments = [view_code, *(f"{n}={t}" for n, t in types.items())]
        return "class_view(" + ", ".join(arguments) + ")"

    def _twin(self, item: RoutePlan) -> str:
        """The view code with the class's twin on the session (session_twins.py) in its place,
        imported beside the class when the URLconf names the class alone."""
        assert item.view_class is not None and item.pattern.view.module is not None
        twin = item.view_class.twin
        head, _, rest = item.pattern.view_code.partition(".as_view(")
        owner, _, _ = head.rpartition(".")
        if not owner:
            views = item.pattern.view.module
            target = [*views[:-1], views[-1].removesuffix(".py")]
            level, module = relative_to(self.state.module_path, target)
            add_import(self.context, module or "", twin, relative=level)
            self.twinned.setdefault("." * level + (module or ""), set()).add(head)
        return f"{owner + '.' if owner else ''}{twin}.as_view({rest}"


class _RenameDrfRouters(cst.CSTTransformer):
    """A DRF router named `router` is `drf_router` in the generated URLconf, whose FastAPI
    router takes the name (drf_routers.py)."""

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        renamed = RENAMED.get(updated_node.value)
        return updated_node.with_changes(value=renamed) if renamed else updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)  # `x.router` stays

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)  # `router=` stays

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False


def _view_class_code(view_code: str) -> str:
    """`views.Page` for `views.Page.as_view()`; the `as_view(...)` call itself when it passes
    arguments (the guard then sees the same attributes as the view)."""
    head, _, rest = view_code.partition(".as_view(")
    return head if rest == ")" else view_code


def _import_lines(found: list[NameImport], here: ModulePath) -> list[str]:
    """The imports binding the names a URLconf at `here` reads for its patterns written in other
    modules' lists (listed_patterns.py): one statement per module, in first-use order."""
    by_module: dict[str, list[str]] = {}
    for name in found:
        if name.module is None and name.outside is None:  # `import X`
            by_module.setdefault(f"import {name.original}", [])
            continue
        if name.module is not None:
            level, rest = relative_to(here, [p for p in dotted(name.module).split(".") if p])
            source = "." * level + (rest or "")
        else:
            source = str(name.outside)
        alias = "" if name.original == name.name else f" as {name.name}"
        names = by_module.setdefault(f"from {source} import", [])
        if name.original + alias not in names:
            names.append(name.original + alias)
    return [f"{head} {', '.join(names)}" if names else head for head, names in by_module.items()]


def _post_reads(item: RoutePlan, analysis: DjangoAnalysis) -> PostReads | None:
    """What the route's function view, or its class-based view's own class, reads of
    `request.POST` (post_reads.py)."""
    if item.info is not None:
        return item.info.post_reads
    view = item.pattern.view
    if item.view_class is None or view.module is None:
        return None
    found = analysis.classes.get((view.module, view.name))
    return found.post_reads if found is not None else None


def _view_label(item: RoutePlan) -> str:
    view = item.pattern.view
    return f"{dotted(view.module)}.{view.name}" if view.module else view.name


def _code(statement: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(statement)


def _registered_under(statement: cst.If, lines: list[str]) -> cst.If:
    """The `if`'s body with its routes in place of the statements adding to urlpatterns (the
    first one's place); its other statements, and its `else`, as they are."""
    body: list[cst.BaseStatement] = []
    routes = list(cst.parse_module("\n".join(lines) + "\n").body)
    suite = statement.body
    if isinstance(suite, cst.SimpleStatementSuite):  # `if test: urlpatterns.append(...)`
        suite = cst.IndentedBlock(body=[cst.SimpleStatementLine(body=suite.body)])
    assert isinstance(suite, cst.IndentedBlock)
    for inner in suite.body:
        if not _assigns_urlpatterns(inner):
            body.append(inner)
        elif routes:
            body.extend(routes)
            routes = []
    return statement.with_changes(body=suite.with_changes(body=body))


class _NestedUrlpatterns(cst.CSTTransformer):
    """Inside an `if`/`try` of a URLconf: each statement adding to urlpatterns becomes `pass`
    (its patterns are reported `manual`; urlpatterns is no more)."""

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if not _assigns_urlpatterns(updated_node):
            return updated_node
        comment = cst.Comment(f"# {TODO_PREFIX} patterns added to urlpatterns: register by hand")
        return updated_node.with_changes(
            body=[cst.Pass()],
            trailing_whitespace=cst.TrailingWhitespace(cst.SimpleWhitespace("  "), comment),
        )


def _assigns_urlpatterns(statement: cst.BaseStatement) -> bool:
    """`urlpatterns = ...`, `urlpatterns += ...`, `urlpatterns.append(...)`/`.extend(...)`."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if (
            isinstance(small, cst.Expr)
            and isinstance(small.value, cst.Call)
            and isinstance(small.value.func, cst.Attribute)
            and isinstance(small.value.func.value, cst.Name)
            and small.value.func.value.value == "urlpatterns"
            and small.value.func.attr.value in ("append", "extend")
        ):
            return True
        if isinstance(small, cst.Assign) and any(
            isinstance(t.target, cst.Name) and t.target.value == "urlpatterns"
            for t in small.targets
        ):
            return True
        if (
            isinstance(small, cst.AugAssign | cst.AnnAssign)
            and isinstance(small.target, cst.Name)
            and small.target.value == "urlpatterns"
        ):
            return True
    return False


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name) or ""


def _names_used(body: list[cst.BaseStatement]) -> set[str]:
    """The names the module's statements other than its imports read."""
    used: set[str] = set()

    class Reader(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> bool:
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

        def visit_Name(self, node: cst.Name) -> None:
            used.add(node.value)

    for statement in body:
        in_order(statement, Reader())
    return used


def _without_url_imports(statement: cst.BaseStatement, used: set[str]) -> cst.BaseStatement | None:
    """The statement without `path`/`re_path`/`include`/`url` imported from django.urls, when
    the module no longer uses them (a list of patterns kept as written still does)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return statement
    node = statement.body[0]
    if not isinstance(node, cst.ImportFrom) or node.module is None or node.relative:
        return statement
    if dotted_name(node.module) not in URL_MODULES or isinstance(node.names, cst.ImportStar):
        return statement
    kept = [
        a for a in node.names if dotted_name(a.name) not in URL_FUNCTIONS or _bound_name(a) in used
    ]
    if len(kept) == len(node.names):
        return statement
    if not kept:
        return None
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return statement.with_changes(body=[node.with_changes(names=kept)])
