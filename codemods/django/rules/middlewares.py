"""The project's own middlewares stay Django code, run by the runtime around every route (see
`codemods/runtime/django/stack.py`); the report says which of them keep the generated app on
Django's ORM, and which the runtime cannot run.

    class LastSeenMiddleware(MiddlewareMixin):          # partial: runs on Django's ORM
        def process_request(self, request):
            UserProfile.objects.filter(...).update(...)

    class TimingMiddleware:                            # manual: its own __call__
        def __init__(self, get_response): ...
        def __call__(self, request): ...

The runtime runs a `MiddlewareMixin` subclass's `process_request`, `process_view` and
`process_response` (the legacy module itself, as `MIDDLEWARE` names it); a middleware with its
own `__call__` cannot be split around a route and is not run. A middleware that reaches neither
gets no entry: it runs as it does on the legacy side. The module is left as it is.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.django.analysis import _imports
from codemods.django.orm_use import reaches_orm
from codemods.engine.findings import Status
from codemods.engine.rule import Rule

MIXIN = "MiddlewareMixin"
ORM_REASON = (
    "middleware {name}: runs on Django's ORM around every route of the generated app (the "
    "runtime runs the project's MIDDLEWARE); give its queries a twin on the new side"
)
CALL_REASON = (
    "middleware {name}: has its own __call__, which the generated app cannot run around a route; "
    "rewrite it as MiddlewareMixin hooks (process_request/process_response) or as an ASGI "
    "middleware"
)


class MiddlewaresRule(Rule):
    name = "middlewares"
    DESCRIPTION = (
        "The project's own middlewares: reported when they keep Django's ORM or cannot run."
    )
    triggers = (MIXIN, "get_response")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        module = ast.parse(tree.code)
        imports = _imports(self.state.module_path, module)
        for node in module.body:
            if not isinstance(node, ast.ClassDef):
                continue
            reason = _reason(node, imports)
            if reason is not None:
                finding = self.findings.add("middleware", node.name)
                finding.note(reason[0].format(name=node.name), reason[1])
        return tree


def _reason(node: ast.ClassDef, imports: dict[str, str]) -> tuple[str, Status] | None:
    methods = {m.name for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)}
    mixin = any(_base_name(base) == MIXIN for base in node.bases)
    if not mixin and not {"__init__", "__call__"} <= methods:
        return None
    if "__call__" in methods:
        return CALL_REASON, Status.manual
    if reaches_orm(node, imports):
        return ORM_REASON, Status.partial
    return None


def _base_name(base: ast.expr) -> str | None:
    if isinstance(base, ast.Name):
        return base.id
    return base.attr if isinstance(base, ast.Attribute) else None
