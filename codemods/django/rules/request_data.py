"""Request data of function views -> typed FastAPI parameters (request_data.py decides which).

    @django_view
    def search(request: DjangoRequest):
        q = request.GET.get("q")
        token = request.headers.get("X-Token")
->  @django_view
    def search(request: DjangoRequest, *, q: str | None = Query(None),
               x_token: list[str] = Header([], alias="x-token")):
        token = joined(x_token)

The new parameters are keyword-only, after the view's own (and the queries rule's session);
the view keeps its Django request for everything else (`request.user`, a form given
`request.POST`). What stays on the Django request is noted in the module's findings.
"""

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import DjangoAnalysis
from codemods.django.plans import view_types
from codemods.django.request_data import RUNTIME, RequestPlan, request_plan
from codemods.engine.rule import Rule


class _Apply(cst.CSTTransformer):
    def __init__(self, plan: RequestPlan) -> None:
        self.plan = plan

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel:
        if original_node in self.plan.dropped:
            return cst.RemoveFromParent()
        code = self.plan.replacements.get(original_node)
        if code is not None:
            return cst.parse_expression(code)
        return updated_node


class RequestDataRule(Rule):
    name = "django-request-data"
    DESCRIPTION = "request.GET/POST/headers/META and json.loads(request.body) -> typed parameters."
    requires = ("function-views",)
    uses = ("django-queries",)
    triggers = ("GET", "POST", "headers", "META", "body", "FILES")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        views = {
            p.view.name
            for p in analysis.patterns
            if p.view.kind == "function"
            and p.view.module == module
            and isinstance(view_types(analysis, module, p.view.name), dict)
        }
        if not views:
            return tree
        body = []
        for statement in tree.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in views:
                statement = self._typed(statement)
            body.append(statement)
        return tree.with_changes(body=body)

    def _typed(self, function: cst.FunctionDef) -> cst.FunctionDef:
        if not self.may_spell(function, *self.triggers):
            return function  # it reads none of the request's data: no plan to make
        plan = request_plan(function)
        for reason in plan.kept:  # still Django's answer: a note, not a partial route
            self.findings.note(None, f"{function.name.value}: {reason}")
        if not plan.params:
            return function
        for param in plan.params:
            if param.source != "Json":
                self.use("fastapi", param.source)
        for helper in sorted(plan.helpers):
            self.use(RUNTIME, helper)
        changed = function.visit(_Apply(plan))
        assert isinstance(changed, cst.FunctionDef)
        declared = ", ".join(p.code for p in plan.params)
        parsed = cst.parse_statement(f"def f(*, {declared}): ...\n")
        assert isinstance(parsed, cst.FunctionDef)
        params = changed.params
        star = params.star_arg
        if star is cst.MaybeSentinel.DEFAULT:
            star = cst.ParamStar()
        params = params.with_changes(
            star_arg=star, kwonly_params=[*params.kwonly_params, *parsed.params.kwonly_params]
        )
        if isinstance(changed.body, cst.IndentedBlock) and not changed.body.body:
            changed = changed.with_changes(body=cst.IndentedBlock([cst.parse_statement("pass")]))
        return changed.with_changes(params=params)
