"""`MethodView` classes and `add_url_rule` -> route-decorated functions, one per HTTP method.

`bp.add_url_rule("/x", view_func=XAPI.as_view("x"))` with `class XAPI(MethodView)` having
`get`/`post`/... becomes module functions `xapi_get`, `xapi_post`, ... decorated with
`@bp.route("/x", methods=["GET"], endpoint="x")`; `add_url_rule(rule, view_func=f)` puts the
decorator on `f`. The routes rule, which runs next, converts those decorators.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemods.engine.comments import todo_line
from codemods.engine.edit import expr
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, keyword, positional, string_value, uses_name
from codemods.engine.rule import Rule
from codemods.flask.tables.sqlalchemy import default_table_name

VIEW_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
VIEW_BASES = {"MethodView", "views.MethodView", "flask.views.MethodView", "View"}


@dataclass
class UrlRule:
    router: str
    rule: str
    endpoint: str | None
    view: str  # a class (as_view) or a function name
    class_based: bool
    methods: str | None  # code of methods=..., if given
    statement: cst.BaseStatement


def snake(name: str) -> str:
    """`CategoryAPI` -> `category_api`."""
    return default_table_name(name)


class MethodViewsRule(Rule):
    name = "method-views"
    DESCRIPTION = "MethodView classes and add_url_rule -> route-decorated functions."
    triggers = ("add_url_rule",)

    def __init__(self, context: cst.codemod.CodemodContext) -> None:
        super().__init__(context)
        self.rules: list[UrlRule] = []
        self.consumed: set[int] = set()

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            url_rule = self.url_rule(statement)
            if url_rule is not None:
                self.rules.append(url_rule)

    def url_rule(self, statement: cst.BaseStatement) -> UrlRule | None:
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        small = statement.body[0]
        if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
            return None
        call = small.value
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "add_url_rule":
            return None
        router = dotted_name(call.func.value)
        rule_arg = positional(call, 0) or keyword(call, "rule")
        rule = string_value(rule_arg.value) if rule_arg else None
        endpoint_arg = positional(call, 1) or keyword(call, "endpoint")
        endpoint = string_value(endpoint_arg.value) if endpoint_arg else None
        view_arg = positional(call, 2) or keyword(call, "view_func")
        if router is None or rule is None or view_arg is None:
            return None
        methods_arg = keyword(call, "methods")
        methods = cst.Module(body=[]).code_for_node(methods_arg.value) if methods_arg else None
        view = view_arg.value
        if (
            isinstance(view, cst.Call)
            and isinstance(view.func, cst.Attribute)
            and view.func.attr.value == "as_view"
        ):
            name_arg = positional(view, 0)
            class_name = dotted_name(view.func.value)
            if class_name is None:
                return None
            return UrlRule(
                router,
                rule,
                endpoint or (string_value(name_arg.value) if name_arg else None),
                class_name,
                True,
                methods,
                statement,
            )
        function = dotted_name(view)
        if function is None:
            return None
        return UrlRule(router, rule, endpoint, function, False, methods, statement)

    # Pruning: only module-level classes and functions are rewritten.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False  # left untouched, so leave_Module can find the add_url_rule lines by identity

    def decorator(self, url_rule: UrlRule, methods: str | None) -> cst.Decorator:
        parts = [f'"{url_rule.rule}"']
        if methods:
            parts.append(f"methods={methods}")
        if url_rule.endpoint:
            parts.append(f'endpoint="{url_rule.endpoint}"')
        return cst.Decorator(decorator=expr(f"{url_rule.router}.route({', '.join(parts)})"))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if len(self._functions) > 1 or self._classes:
            return updated_node
        mine = [r for r in self.rules if not r.class_based and r.view == original_node.name.value]
        if not mine:
            return updated_node
        for url_rule in mine:
            self.consumed.add(id(url_rule.statement))
        decorators = [self.decorator(r, r.methods) for r in mine]
        return updated_node.with_changes(decorators=[*decorators, *updated_node.decorators])

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        class_name = original_node.name.value
        mine = [r for r in self.rules if r.class_based and r.view == class_name]
        bases = {dotted_name(b.value) for b in original_node.bases}
        if not mine or not bases & VIEW_BASES:
            return updated_node
        body = original_node.body.body if isinstance(original_node.body, cst.IndentedBlock) else []
        functions: list[cst.FunctionDef] = []
        leftovers = []
        for statement in body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in VIEW_METHODS:
                functions.append(self.function(class_name, statement, mine))
            elif not (
                isinstance(statement, cst.SimpleStatementLine)
                and isinstance(statement.body[0], cst.Expr)
            ):
                leftovers.append(cst.Module(body=[]).code_for_node(statement).strip())
        if not functions:
            return updated_node
        for url_rule in mine:
            self.consumed.add(id(url_rule.statement))
        for text in leftovers:
            first = text.splitlines()[0]
            if first.startswith("init_every_request"):
                continue  # one instance per request or not: functions keep no state either way
            reason = f"{class_name}: `{first}` is not converted"
            self.findings.note(None, reason, Status.partial)
            functions[0] = functions[0].with_changes(
                leading_lines=[*functions[0].leading_lines, todo_line(reason)]
            )
        first_function = functions[0]
        functions[0] = first_function.with_changes(
            leading_lines=[*original_node.leading_lines, *first_function.leading_lines]
        )
        return cst.FlattenSentinel(functions)

    def function(
        self, class_name: str, method: cst.FunctionDef, rules: list[UrlRule]
    ) -> cst.FunctionDef:
        verb = method.name.value.upper()
        params = method.params.params
        rest = params[1:] if params and params[0].name.value == "self" else params
        name = f"{snake(class_name)}_{method.name.value}"
        self.state.origins[name] = f"{class_name}.{method.name.value}"
        new = method.with_changes(
            name=cst.Name(name),
            params=method.params.with_changes(params=rest),
            decorators=[*(self.decorator(r, f'["{verb}"]') for r in rules), *method.decorators],
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
        )
        if uses_name(method.body, "self"):
            reason = f"{class_name}.{method.name.value} uses self: port its state by hand"
            new = new.with_changes(leading_lines=[*new.leading_lines, todo_line(reason)])
            self.state.manual[name] = reason
        return new

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = [s for s in updated_node.body if id(s) not in self.consumed]
        return updated_node.with_changes(body=body)
