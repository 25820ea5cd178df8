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
from codemods.engine.context import ModuleContext
from codemods.engine.edit import expr, string_like
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, keyword, positional, string_value, uses_name
from codemods.engine.rule import Rule
from codemods.engine.state import ModuleState
from codemods.flask import restful_dispatch
from codemods.flask.analysis import analysis_of, app_registrations
from codemods.flask.tables.responses import RUNTIME
from codemods.flask.tables.sqlalchemy import default_table_name

# The router of a module whose views an app factory elsewhere registers with add_url_rule.
APP_ROUTES = "flask_app_routes"
VIEW_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
VIEW_BASES = {"MethodView", "views.MethodView", "flask.views.MethodView", "View"}
# Flask-RESTful/Flask-RESTX resources, converted like MethodViews when plain (the route
# discovery predicts the same: `codemods/flask/route_discovery.py`).
RESOURCE_BASES = {"Resource", "flask_restful.Resource", "flask_restx.Resource", "restful.Resource"}


@dataclass
class UrlRule:
    router: str
    rule: str
    endpoint: str | None
    view: str  # a class (as_view) or a function name
    class_based: bool
    methods: str | None  # code of methods=..., if given
    statement: cst.BaseStatement | None  # None: registered in another module (`create_app`)
    resource: bool = False  # a Flask-RESTful `add_resource`
    api: str | None = None  # the `Api` it was added to
    dispatched: bool = False  # a resource kept as a class, run by the runtime's dispatch


def snake(name: str) -> str:
    """`CategoryAPI` -> `category_api`."""
    return default_table_name(name)


class MethodViewsRule(Rule):
    name = "method-views"
    DESCRIPTION = "MethodView classes and add_url_rule -> route-decorated functions."
    triggers = ("add_url_rule", "add_resource")

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.rules: list[UrlRule] = []
        self.consumed: set[int] = set()

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        return super().triggered(source, state) or bool(app_registrations(state))

    def visit_Module(self, node: cst.Module) -> None:
        apis = resource_apis(node)
        for statement in node.body:
            url_rule = self.url_rule(statement)
            if url_rule is not None:
                self.rules.append(url_rule)
            self.rules += self.resource_rules(statement, apis, node)
        self.rules += self.registered_elsewhere()

    def registered_elsewhere(self) -> list[UrlRule]:
        """The module's views an app factory of another module registers (`app.add_url_rule(
        "/api/tags", "tags", api.tags)`): routes of the module's own `flask_app_routes` router,
        which the factory includes (see `codemods/flask/route_discovery.py`)."""
        found = []
        for registration in app_registrations(self.state):
            if registration.rule is None:
                continue
            methods = registration.methods
            code = "[" + ", ".join(f'"{m}"' for m in methods) + "]" if methods else None
            class_based = registration.view.kind == "class"
            found.append(
                UrlRule(
                    APP_ROUTES, registration.rule, registration.endpoint,
                    registration.view.name, class_based, code, None,
                )
            )  # fmt: skip
        return found

    def resource_rules(
        self, statement: cst.BaseStatement, apis: dict[str, tuple[str, str]], module: cst.Module
    ) -> list[UrlRule]:
        """`api.add_resource(Todo, "/todos/<int:id>", endpoint="todo")` on `api = Api(bp)`, for
        a plain resource of the module: one rule per URL (`Api(prefix=)` before it)."""
        if not isinstance(statement, cst.SimpleStatementLine):
            return []
        small = statement.body[0]
        if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
            return []
        call = small.value
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "add_resource":
            return []
        api = apis.get(dotted_name(call.func.value) or "")
        class_name = dotted_name(call.args[0].value) if call.args else None
        if api is None or class_name is None:
            return []
        dispatched = (
            not plain_resource_in(module, class_name)
            or not derives_from_resource(module, class_name)
            or "reqparse" in module.code
            or "marshal" in module.code
            or other_restful_names(module)
        )
        if dispatched and not resource_class_in(module, class_name):
            return []
        urls = [string_value(a.value) for a in call.args[1:] if a.keyword is None]
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        if not urls or None in urls or keywords - {"endpoint"}:
            return []
        endpoint_arg = keyword(call, "endpoint")
        endpoint = string_value(endpoint_arg.value) if endpoint_arg else class_name.lower()
        if endpoint is None:
            return []
        router, prefix = api
        name = dotted_name(call.func.value)
        return [
            UrlRule(
                router, prefix + url, endpoint, class_name, True, None, statement, True, name,
                dispatched,
            )
            for url in urls
            if url is not None
        ]  # fmt: skip

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
        if mine and all(r.dispatched for r in mine):
            return self.dispatched_resource(original_node, updated_node, mine)
        bases = {dotted_name(b.value) for b in original_node.bases}
        accepted = RESOURCE_BASES if any(r.resource for r in mine) else VIEW_BASES
        if not mine or not bases & accepted:
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

    @property
    def principal_ported(self) -> bool:
        """Whether the package's Flask-Principal is registered with `init_app` (the principal
        rule ports it): a permission then reads the identity as under Flask."""
        return analysis_of(self.state).principal_ported

    def dispatched_resource(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef, rules: list[UrlRule]
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """The resource kept, followed by one route function per HTTP method it defines (see
        codemods/flask/restful_dispatch.py)."""
        class_name = original_node.name.value
        functions: list[cst.BaseStatement] = []
        by_rule = {r.rule: r for r in rules}
        for method in restful_dispatch.http_methods(original_node):
            verb = method.name.value.upper()
            allowed = [(r.rule, verb) for r in rules if allows(r, verb)]

            def decorator(rule: str, verb: str) -> cst.Decorator:
                return self.decorator(by_rule[rule], f'["{verb}"]')

            made = restful_dispatch.route_functions(
                class_name, snake(class_name), method, allowed, decorator
            )
            for name, function in made:
                self.state.origins[name] = f"{class_name}.{method.name.value}"
                if restful_dispatch.permission_in(method) and not self.principal_ported:
                    self.state.partial[name] = restful_dispatch.PERMISSION_REASON.format(
                        resource=class_name, method=method.name.value
                    )
                functions.append(function)
        if not functions:
            return updated_node
        for url_rule in rules:
            self.consumed.add(id(url_rule.statement))
        self.use(restful_dispatch.RUNTIME, restful_dispatch.DISPATCH)
        self.use("fastapi", "Request")
        return cst.FlattenSentinel([updated_node, *functions])

    def with_resource_urls(
        self, body: list[cst.BaseStatement], api: str, endpoints: dict[str, str]
    ) -> list[cst.BaseStatement]:
        """`api.url_for(Resource, ...)` -> `resource_url("endpoint", ...)`, once `api` is gone."""
        rewriter = ResourceUrls(api, endpoints)
        rewritten = [s.visit(rewriter) for s in body]
        if rewriter.changed:
            self.use(restful_dispatch.RUNTIME, "resource_url")
        return [s for s in rewritten if isinstance(s, cst.BaseStatement)]

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
            decorators=[
                *(self.decorator(r, f'["{verb}"]') for r in rules if allows(r, verb)),
                *method.decorators,
            ],
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
        )
        if uses_name(method.body, "self"):
            reason = f"{class_name}.{method.name.value} uses self: port its state by hand"
            new = new.with_changes(leading_lines=[*new.leading_lines, todo_line(reason)])
            self.state.manual[name] = reason
        return new

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = [s for s in updated_node.body if id(s) not in self.consumed]
        for api in {r.api for r in self.rules if r.api and id(r.statement) in self.consumed}:
            endpoints = {
                r.view: r.endpoint or r.view.lower()
                for r in self.rules
                if r.api == api and id(r.statement) in self.consumed
            }
            body = self.with_resource_urls(body, api, endpoints)
            body = without_unused_api(body, api)
        if any(r.router == APP_ROUTES and r.statement is None for r in self.rules):
            body = with_app_routes(body)
            self.use("fastapi", "APIRouter")
            self.use(RUNTIME, "FlaskRoute")
        factory = {
            (r.rule or "", r.via_alias[1]): r.via_alias[0]
            for r in app_registrations(self.state, here=True)
            if r.via_alias is not None
        }
        if factory:
            result = self.rewrite(
                updated_node.with_changes(body=body), IncludedRegistrations(factory)
            )
            assert isinstance(result, cst.Module)
            return result
        return updated_node.with_changes(body=body)


def resource_apis(module: cst.Module) -> dict[str, tuple[str, str]]:
    """`api = Api(bp)` / `Api(app, prefix="/v1")` at module level: api -> (router, prefix)."""
    found: dict[str, tuple[str, str]] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        small = statement.body[0]
        if not (isinstance(small, cst.Assign) and isinstance(small.value, cst.Call)):
            continue
        call = small.value
        if dotted_name(call.func) not in ("Api", "flask_restful.Api", "flask_restx.Api"):
            continue
        target = dotted_name(small.targets[0].target) if len(small.targets) == 1 else None
        first = positional(call, 0) or keyword(call, "app")
        router = dotted_name(first.value) if first else None
        keywords = {a.keyword.value for a in call.args if a.keyword is not None} - {"app"}
        prefix_arg = keyword(call, "prefix")
        prefix = string_value(prefix_arg.value) if prefix_arg else ""
        if target and router and prefix is not None and not keywords - {"prefix"}:
            found[target] = (router, prefix)
    return found


def plain_resource_in(module: cst.Module, class_name: str) -> bool:
    """A module-level resource class with only HTTP methods (and a docstring): no `__init__`,
    no `decorators`/`method_decorators` or other class state."""
    for statement in module.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == class_name:
            body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else []
            methods = 0
            for item in body:
                if isinstance(item, cst.FunctionDef) and item.name.value in VIEW_METHODS:
                    methods += 1
                elif not (
                    isinstance(item, cst.SimpleStatementLine)
                    and isinstance(item.body[0], cst.Expr)
                    and isinstance(item.body[0].value, cst.SimpleString | cst.ConcatenatedString)
                ):
                    return False
            return methods > 0
    return False


def derives_from_resource(module: cst.Module, class_name: str) -> bool:
    """Whether the module-level class names Flask-RESTful's `Resource` among its bases."""
    return any(
        isinstance(statement, cst.ClassDef)
        and statement.name.value == class_name
        and {dotted_name(b.value) for b in statement.bases} & RESOURCE_BASES
        for statement in module.body
    )


def resource_class_in(module: cst.Module, class_name: str) -> bool:
    """A module-level class defining at least one HTTP method (any bases: lemur's resources
    derive from its own `AuthenticatedResource`)."""
    return any(
        isinstance(statement, cst.ClassDef)
        and statement.name.value == class_name
        and restful_dispatch.http_methods(statement)
        for statement in module.body
    )


def other_restful_names(module: cst.Module) -> bool:
    """Whether the module imports from Flask-RESTful/RESTX more than `Api` and `Resource`
    (`abort` answers JSON there, `fields`/`inputs` have no converter)."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        small = statement.body[0]
        if isinstance(small, cst.ImportFrom) and small.module is not None:
            source = dotted_name(small.module) or ""
            if source.split(".")[0] not in ("flask_restful", "flask_restx"):
                continue
            if isinstance(small.names, cst.ImportStar):
                return True
            if {dotted_name(a.name) for a in small.names} - {"Api", "Resource"}:
                return True
    return False


def without_unused_api(body: list[cst.BaseStatement], api: str) -> list[cst.BaseStatement]:
    """`api = Api(bp)` dropped once nothing of the module uses `api` any more (its resources
    are routes of `bp` now; Flask-RESTful cannot wrap an APIRouter)."""

    def assigns_api(statement: cst.BaseStatement) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        small = statement.body[0]
        return (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and dotted_name(small.targets[0].target) == api
        )

    others = [s for s in body if not assigns_api(s)]
    if any(uses_name(s, api) for s in others):
        return body
    return others


def with_app_routes(body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """`flask_app_routes = APIRouter(route_class=FlaskRoute)` before the first definition."""
    line = cst.parse_statement(f"{APP_ROUTES} = APIRouter(route_class=FlaskRoute)")
    line = line.with_changes(leading_lines=[cst.EmptyLine()])
    first = next(
        (i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef | cst.ClassDef)),
        len(body),
    )
    return [*body[:first], line, *body[first:]]


class ResourceUrls(cst.CSTTransformer):
    """`api.url_for(Google, **values)` for a resource added to `api` in the module."""

    def __init__(self, api: str, endpoints: dict[str, str]) -> None:
        super().__init__()
        self.api = api
        self.endpoints = endpoints
        self.changed = False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if dotted_name(updated_node.func) != f"{self.api}.url_for" or not updated_node.args:
            return updated_node
        first = updated_node.args[0]
        endpoint = self.endpoints.get(dotted_name(first.value) or "")
        if endpoint is None or first.keyword is not None or first.star:
            return updated_node
        self.changed = True
        return updated_node.with_changes(
            func=cst.Name("resource_url"),
            args=[cst.Arg(string_like(endpoint, first.value)), *updated_node.args[1:]],
        )


class IncludedRegistrations(cst.CSTTransformer):
    """In an app factory: the first `app.add_url_rule(rule, view_func=api.view)` converted onto
    `api`'s router -> `app.register_blueprint(api.flask_app_routes)`; the others are dropped."""

    def __init__(self, factory: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.factory = factory  # (rule, view as written) -> the module alias
        self.included: set[tuple[str, str]] = set()

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        small = updated_node.body[0]
        if len(updated_node.body) != 1 or not isinstance(small, cst.Expr):
            return updated_node
        call = small.value
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "add_url_rule"
        ):
            return updated_node
        rule_arg = positional(call, 0) or keyword(call, "rule")
        view_arg = positional(call, 2) or keyword(call, "view_func")
        if rule_arg is None or view_arg is None:
            return updated_node
        view = view_arg.value
        if (
            isinstance(view, cst.Call)
            and isinstance(view.func, cst.Attribute)
            and view.func.attr.value == "as_view"
        ):
            view = view.func.value
        key = (string_value(rule_arg.value) or "", dotted_name(view) or "")
        alias = self.factory.get(key)
        app = dotted_name(call.func.value)
        if alias is None or app is None:
            return updated_node
        if (app, alias) in self.included:
            return cst.RemovalSentinel.REMOVE
        self.included.add((app, alias))
        included = expr(f"{app}.register_blueprint({alias}.{APP_ROUTES})")
        return updated_node.with_changes(body=[small.with_changes(value=included)])


def allows(url_rule: UrlRule, verb: str) -> bool:
    """Whether a rule's `methods=` (when a literal list) routes this HTTP method of the class."""
    if url_rule.methods is None:
        return True
    try:
        listed = cst.parse_expression(url_rule.methods)
    except cst.ParserSyntaxError:
        return True
    if not isinstance(listed, cst.List | cst.Tuple | cst.Set):
        return True
    names = {(string_value(e.value) or "").upper() for e in listed.elements}
    return verb in names
