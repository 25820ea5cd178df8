"""Function views -> FastAPI endpoints that run the view's code unchanged on the Django runtime.

    @csrf_exempt
    @require_http_methods(["GET", "PATCH", "DELETE"])
    def post_detail(request, pk): ...
->  @django_view
    def post_detail(request: DjangoRequest, pk: int): ...

`request` is the route's real Django request (`request.GET`, `POST`, `body`, `user` work as
before), path parameters get the types of their converters, the returned Django response is
sent as it is and `Http404`/`get_object_or_404` answer Django's 404 page. The decorators
`require_GET`/`require_POST`/`require_safe`/`require_http_methods`, `login_required` and
`csrf_exempt` are dropped here: the URLs rule puts them on the route (methods, `LoginRequired`,
no `CsrfProtected`). Other decorators are kept, and reported.

In every module a URLconf points at, relative imports become imports of the legacy package
(`from .models import Post` -> `from project.blog.models import Post`): the queries keep running
on the legacy models, which Django registered under their legacy module.
"""

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath
from codemods.django.plans import view_types
from codemods.engine.context import remove_import
from codemods.engine.rule import Rule

NOT_IMPORTABLE = (
    "SRC is not a package importable from the current directory: its relative imports are kept, "
    "so the views import the generated modules, not the legacy models Django registered; run "
    "the command from the folder SRC's package is imported from"
)
# The decorators the route's options replace, and the modules they are imported from.
DECORATOR_MODULES = {
    "require_GET": "django.views.decorators.http",
    "require_POST": "django.views.decorators.http",
    "require_safe": "django.views.decorators.http",
    "require_http_methods": "django.views.decorators.http",
    "login_required": "django.contrib.auth.decorators",
    "csrf_exempt": "django.views.decorators.csrf",
}
BARE_DECORATORS = frozenset(DECORATOR_MODULES) - {"require_http_methods"}


class FunctionViewsRule(Rule):
    name = "function-views"
    DESCRIPTION = "Function views -> FastAPI endpoints on the Django runtime."
    # "class ": a module of class-based views only (no def) has its relative imports made
    # legacy too, or `model = Post` would name the generated SQLAlchemy Post
    triggers = ("def ", "class ")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        if not any(p.view.module == module for p in analysis.patterns):
            return tree
        views = {
            p.view.name: types
            for p in analysis.patterns
            if p.view.kind == "function" and p.view.module == module
            for types in [view_types(analysis, module, p.view.name)]
            if isinstance(types, dict)
        }
        body = []
        for statement in tree.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in views:
                statement = self._endpoint(statement, views[statement.name.value])
            elif isinstance(statement, cst.SimpleStatementLine):
                statement = self._legacy_imports(statement, module)
            body.append(statement)
        return tree.with_changes(body=body)

    def _endpoint(self, function: cst.FunctionDef, types: dict[str, str]) -> cst.FunctionDef:
        self.use("codemods.runtime.django.views", "django_view")
        self.use("codemods.runtime.django.request", "DjangoRequest")
        kept = [d for d in function.decorators if not _converted(d)]
        for decorator in function.decorators:
            if _converted(decorator):
                name = _name(decorator)
                remove_import(self.context, DECORATOR_MODULES[name], name)
        decorators = [cst.Decorator(decorator=cst.Name("django_view")), *kept]
        params = list(function.params.params)
        annotated = []
        for index, param in enumerate(params):
            name = param.name.value
            python_type = "DjangoRequest" if index == 0 else types.get(name)
            if python_type == "UUID":
                self.use("uuid", "UUID")
            elif python_type == "Any":  # a converter the project registers (paths.py)
                self.use("typing", "Any")
            if python_type is not None:
                param = param.with_changes(
                    annotation=cst.Annotation(annotation=cst.parse_expression(python_type))
                )
            annotated.append(param)
        return function.with_changes(
            decorators=decorators,
            params=function.params.with_changes(params=annotated),
        )

    def _legacy_imports(
        self, statement: cst.SimpleStatementLine, module: ModulePath
    ) -> cst.SimpleStatementLine:
        package = self.state.source_package
        node = statement.body[0] if len(statement.body) == 1 else None
        if not isinstance(node, cst.ImportFrom) or not node.relative:
            return statement
        if package is None:
            self.findings.note(None, NOT_IMPORTABLE)
            return statement
        parts = [*package.split("."), *module[:-1]]
        level = len(node.relative)
        if level > 1:
            parts = parts[: len(parts) - (level - 1)]
        if node.module is not None:
            parts.append(cst.Module(body=[]).code_for_node(node.module))
        return statement.with_changes(
            body=[node.with_changes(relative=[], module=cst.parse_expression(".".join(parts)))]
        )


def _name(decorator: cst.Decorator) -> str:
    node = decorator.decorator
    if isinstance(node, cst.Call):
        node = node.func
    return cst.Module(body=[]).code_for_node(node).rsplit(".", 1)[-1]


def _converted(decorator: cst.Decorator) -> bool:
    """A decorator the route's options replace, as the analysis reads it (`ViewInfo`)."""
    node = decorator.decorator
    if not isinstance(node, cst.Call):
        name = cst.Module(body=[]).code_for_node(node).rsplit(".", 1)[-1]
        return name in BARE_DECORATORS
    name = cst.Module(body=[]).code_for_node(node.func).rsplit(".", 1)[-1]
    if name != "require_http_methods" or not node.args:
        return False
    methods = node.args[0].value
    return isinstance(methods, cst.List | cst.Tuple) and all(
        isinstance(e.value, cst.SimpleString) for e in methods.elements
    )
