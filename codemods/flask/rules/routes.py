"""`@bp.route(rule, methods=[...])`, `@bp.get(rule)`, ... -> `@router.get(path, name=endpoint)`.

One FastAPI route per method; a view that branches on `request.method` is split into one handler
per method. Werkzeug converters become Starlette convertors in the path (404 on mismatch, not
422). Routes are ordered static before dynamic, like Werkzeug, because Starlette tries them in
registration order.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext, add_import
from codemods.engine.edit import annotate_params, block_statements, expr, non_empty
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, keyword, positional, string_value
from codemods.engine.rule import ModuleLevelRule
from codemods.engine.state import ModuleState
from codemods.engine.walk import walk
from codemods.flask.analysis import analysis_of, app_registrations
from codemods.flask.facts import RouteFacts
from codemods.flask.post_keys import keys_in, module_tree
from codemods.flask.tables.converters import ConvertedPath, convert_rule
from codemods.flask.tables.responses import CONTEXT

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
SHORTCUTS = {m.lower(): m for m in HTTP_METHODS if m not in ("HEAD", "OPTIONS")}
KNOWN_OPTIONS = {"methods", "endpoint", "strict_slashes", "provide_automatic_options"}


class RouteSpec:
    def __init__(
        self,
        router: str,
        rule: str,
        methods: list[str],
        call: cst.Call,
        registered: frozenset[str] = frozenset(),
    ) -> None:
        self.router = router
        self.rule = rule
        self.methods = methods
        self.call = call
        # Flask joins a blueprint's prefix and a rule with one slash (`"api/x"` under
        # `/dashboard` is `/dashboard/api/x`); a path Starlette appends as it is needs it.
        path_rule = rule if not rule or rule.startswith("/") else "/" + rule
        self.converted: ConvertedPath = convert_rule(path_rule, registered)


def route_spec(
    decorator: cst.Decorator, registered: frozenset[str] = frozenset()
) -> RouteSpec | None:
    """The route a decorator declares, or None when it is not a Flask route decorator
    (`registered`: the app's own URL converters the module registered before it)."""
    call = decorator.decorator
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return None
    router = dotted_name(call.func.value)
    verb = call.func.attr.value
    first = positional(call, 0)
    rule = string_value(first.value) if first else None
    if router is None or rule is None or (verb != "route" and verb not in SHORTCUTS):
        return None
    if verb != "route":
        return RouteSpec(router, rule, [SHORTCUTS[verb]], call, registered)
    methods_arg = keyword(call, "methods")
    if methods_arg is None:
        return RouteSpec(router, rule, ["GET"], call, registered)
    value = methods_arg.value
    if not isinstance(value, cst.List | cst.Tuple | cst.Set):
        return RouteSpec(router, rule, [], call, registered)
    methods = [string_value(e.value) for e in value.elements]
    return RouteSpec(router, rule, [m.upper() for m in methods if m], call, registered)


def method_decision(test: cst.BaseExpression, method: str) -> bool | None:
    """The value of a `request.method` test for one method, or None when it is not one."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = method_decision(test.expression, method)
        return None if inner is None else not inner
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    left, right = test.left, target.comparator
    if dotted_name(right) == "request.method":
        left, right = right, left
    if dotted_name(left) != "request.method":
        return None
    op = target.operator
    if isinstance(op, cst.Equal | cst.NotEqual):
        value = string_value(right)
        if value is None:
            return None
        same = value.upper() == method
        return same if isinstance(op, cst.Equal) else not same
    if isinstance(op, cst.In | cst.NotIn) and isinstance(right, cst.List | cst.Tuple | cst.Set):
        values = [string_value(e.value) for e in right.elements]
        if any(v is None for v in values):
            return None
        inside = method in {v.upper() for v in values if v}
        return inside if isinstance(op, cst.In) else not inside
    return None


def resolve_if(statement: cst.If, method: str) -> list[cst.BaseStatement] | None:
    decision = method_decision(statement.test, method)
    if decision is None:
        return None
    if decision:
        return block_statements(statement.body)
    orelse = statement.orelse
    if orelse is None:
        return []
    if isinstance(orelse, cst.Else):
        return block_statements(orelse.body)
    resolved = resolve_if(orelse, method)
    return resolved if resolved is not None else [orelse]


class MethodResolver(cst.CSTTransformer):
    """Keeps only the branches of `if request.method ...` that one method takes."""

    def __init__(self, method: str) -> None:
        self.method = method
        self.resolved = False

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        changed = False
        for statement in updated_node.body:
            resolved = resolve_if(statement, self.method) if isinstance(statement, cst.If) else None
            if resolved is None:
                body.append(statement)
            else:
                changed = self.resolved = True
                body.extend(resolved)
        if not changed:
            return updated_node
        return updated_node.with_changes(body=non_empty(until_terminal(body)))


def until_terminal(body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """Drop what follows a `return`/`raise` once a branch has been inlined (unreachable)."""
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(small, cst.Return | cst.Raise) for small in statement.body
        ):
            return body[: index + 1]
    return body


def branches_on_method(function: cst.FunctionDef) -> bool:
    found = False

    class Finder(cst.CSTVisitor):
        def visit_If(self, node: cst.If) -> bool:
            nonlocal found
            found = found or method_decision(node.test, "GET") is not None
            return not found

        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
            return False  # `if` statements are compound: simple lines cannot hold one

    walk(function.body, Finder())
    return found


class RoutesRule(ModuleLevelRule):
    name = "routes"
    DESCRIPTION = "Flask route decorators -> FastAPI routes, one per method, ordered like Werkzeug."
    triggers = (
        ".route(", ".get(", ".post(", ".put(", ".patch(", ".delete(", "add_url_rule", "add_resource"
    )  # fmt: skip

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        """Also on a module whose views an app factory elsewhere registers (the method-views
        rule gave them route decorators)."""
        return super().triggered(source, state) or bool(app_registrations(state))

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.blueprint_names = self.own(RouteFacts).blueprint_names
        self.order: dict[str, tuple[tuple[int, int], ...]] = {}
        self.any_sets: dict[tuple[str, ...], None] = {}
        self.converters: set[str] = set()  # the app's own URL converters, registered above
        # those another module registers, which this module's routes use: registered here too
        self.imported_converters: dict[str, tuple[tuple[str, ...], str]] = {}

    # Pruning: statements inside functions hold no route declarations, but for a blueprint made
    # by a function (`def construct_blueprint(store): bp = Blueprint(...)`), whose name prefixes
    # its views' endpoints.
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        first = node.body[0]
        if not isinstance(first, cst.Assign):
            return False
        if not self._functions:
            return True
        callee = dotted_name(first.value.func) if isinstance(first.value, cst.Call) else None
        return callee in ("Blueprint", "flask.Blueprint")

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        """`app.url_map.converters["b64"] = Base64Converter` -> `register_converter("b64",
        Base64Converter)`: a Starlette convertor around the Werkzeug converter (its regex, its
        `to_python`, and no match when it raises `ValidationError`, as in Werkzeug)."""
        if self._functions or len(updated_node.body) != 1:
            return updated_node
        assign = updated_node.body[0]
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return updated_node
        target = assign.targets[0].target
        if not (
            isinstance(target, cst.Subscript)
            and (dotted_name(target.value) or "").endswith(".url_map.converters")
            and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
        ):
            return updated_node
        kind = string_value(target.slice[0].slice.value)
        if kind is None:
            return updated_node
        self.converters.add(kind)
        add_import(self.context, "codemods.runtime.flask.converters", "register_converter")
        call = cst.Call(
            cst.Name("register_converter"),
            [cst.Arg(target.slice[0].slice.value), cst.Arg(assign.value)],
        )
        return updated_node.with_changes(body=[cst.Expr(call)])

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False  # MethodView classes were turned into functions by the method-views rule

    # Pruning: a function's own code (headers of if/for/with/try, decorators, parameters) holds
    # nothing this rule changes; nested `def`s directly in a function body are still visited.
    def visit_Assign(self, node: cst.Assign) -> None:
        if not isinstance(node.value, cst.Call) or len(node.targets) != 1:
            return
        target = dotted_name(node.targets[0].target)
        kind = dotted_name(node.value.func)
        if target and kind in ("Blueprint", "flask.Blueprint"):
            first = positional(node.value, 0)
            name = string_value(first.value) if first else None
            self.blueprint_names[target] = name or target
        elif target and kind in ("Flask", "flask.Flask"):
            self.blueprint_names[target] = ""

    def endpoint(self, spec: RouteSpec, function: str) -> str:
        explicit = keyword(spec.call, "endpoint")
        name = (string_value(explicit.value) if explicit else None) or function
        prefix = self.blueprint_names.get(spec.router)
        if prefix:  # a nested blueprint's endpoints are `parent.child.view`, as in Flask
            routes = analysis_of(self.state).routes
            parents = routes.parents_of(self.state.module_path, spec.router)
            prefix = ".".join([*parents, prefix])
        return f"{prefix}.{name}" if prefix else name

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        specs: list[RouteSpec] = []
        others: list[cst.Decorator] = []
        for decorator in updated_node.decorators:
            spec = route_spec(decorator, self.known_converters(decorator))
            if spec is None:
                others.append(decorator)
            else:
                specs.append(spec)
        if not specs:
            return updated_node
        function = updated_node.name.value
        methods = list(dict.fromkeys(m for spec in specs for m in spec.methods))
        branches = branches_on_method(updated_node)
        if branches and len(methods) > 1:
            produced = [
                self.handler(updated_node, others, specs, [m], f"{function}_{m.lower()}", True)
                for m in methods
            ]
            return cst.FlattenSentinel(produced)
        return self.handler(updated_node, others, specs, methods, function, branches)

    def handler(
        self,
        node: cst.FunctionDef,
        others: list[cst.Decorator],
        specs: list[RouteSpec],
        methods: list[str],
        new_name: str,
        branches: bool,
    ) -> cst.FunctionDef:
        original = node.name.value
        decorators: list[cst.Decorator] = []
        path_types: dict[str, str] = {}
        for spec in specs:
            spec_methods = [m for m in spec.methods if m in methods] if spec.methods else []
            for method in spec_methods or ["GET"]:
                origins = self.state.origins
                finding = self.findings.add("route", origins.get(original, original), new_name)
                manual = self.state.manual.get(original)
                if manual:
                    finding.note(manual, Status.manual)
                partial = self.state.partial.get(original)
                if partial:
                    finding.note(partial, Status.partial)
                self.describe(spec, new_name, parameter_names(node))
                if not spec.methods:
                    finding.note("methods= is not a literal list", Status.manual)
                elif methods == ["POST"] and (keys := self.post_keys(original)):
                    finding.details["post_keys"] = dict.fromkeys(keys)
                decorators.append(self.decorator(spec, method, original))
            for param in spec.converted.params:
                path_types[param.name] = param.python_type
                if param.any_values:
                    self.any_sets[param.any_values] = None
                    add_import(self.context, "codemods.runtime.flask.compat", "any_of")
            if "Any" in path_types.values():
                add_import(self.context, "typing", "Any")
            if "UUID" in path_types.values():
                add_import(self.context, "uuid", "UUID")
            self.order[new_name] = min(
                self.order.get(new_name, spec.converted.sort_key), spec.converted.sort_key
            )
        self.handlers[new_name] = specs[0].router
        result = annotate_params(without_star_kwargs(node, self), path_types)
        result = with_route_defaults(result, [route_defaults(spec.call) or {} for spec in specs])
        if len(methods) == 1 and branches:
            resolver = MethodResolver(methods[0])
            body = self.rewrite(result.body, resolver)
            assert isinstance(body, cst.BaseSuite)
            result = result.with_changes(body=body)
        return result.with_changes(name=cst.Name(new_name), decorators=[*decorators, *others])

    def post_keys(self, view: str) -> list[str]:
        """What the legacy view reads of the form it is posted (post_keys.py), for verification
        to post it."""
        source = self.state.legacy_source
        if source is None:
            return []
        return keys_in(self.state.once(module_tree, lambda: module_tree(source)), view)

    def describe(self, spec: RouteSpec, finding_symbol: str, parameters: set[str]) -> None:
        status = Status.manual if spec.converted.manual else Status.partial
        for reason in spec.converted.reasons:
            self.findings.note(finding_symbol, reason, status)
        defaults = route_defaults(spec.call)
        known = KNOWN_OPTIONS | (
            {"defaults"} if defaults and set(defaults) <= parameters else set()
        )
        for arg in spec.call.args[1:]:
            if arg.keyword is not None and arg.keyword.value not in known:
                self.findings.note(
                    finding_symbol, f"route option {arg.keyword.value}= is not converted"
                )

    def decorator(self, spec: RouteSpec, method: str, function: str) -> cst.Decorator:
        path = spec.converted.path
        path_code = repr(path).replace("'", '"') if '"' not in path else repr(path)
        verb = method.lower() if method.lower() in SHORTCUTS else None
        endpoint = self.endpoint(spec, function)
        if verb:
            code = f'{spec.router}.{verb}({path_code}, name="{endpoint}")'
        else:
            code = f'{spec.router}.api_route({path_code}, methods=["{method}"], name="{endpoint}")'
        return cst.Decorator(decorator=expr(code))

    def known_converters(self, decorator: cst.Decorator) -> frozenset[str]:
        """The URL converters of the app a route may use: those this module registered above,
        and those another module of the package registers (changedetection.io registers
        `uuid_str` in its app module, its blueprints' routes use it), registered here too."""
        elsewhere = analysis_of(self.state).converters
        if not elsewhere:
            return frozenset(self.converters)
        code = cst.Module(body=[]).code_for_node(decorator.decorator)
        for name, (module, class_name) in elsewhere.items():
            here = module == self.state.module_path
            if name not in self.converters and not here and f"<{name}:" in code:
                self.imported_converters.setdefault(name, (module, class_name))
        return frozenset({*self.converters, *self.imported_converters})

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = list(updated_node.body)
        body = self.with_any_registrations(body)
        body = self.with_imported_converters(body)
        slots = [
            i
            for i, s in enumerate(body)
            if isinstance(s, cst.FunctionDef) and s.name.value in self.order
        ]
        handlers = [body[i] for i in slots]
        ordered = sorted(
            handlers,
            key=lambda s: self.order[s.name.value] if isinstance(s, cst.FunctionDef) else (),
        )
        for slot, statement in zip(slots, ordered, strict=True):
            body[slot] = statement
        return updated_node.with_changes(body=body)

    def with_imported_converters(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """`register_converter("uuid_str", StrictUUIDConverter)` before the routes, the class
        imported from the generated twin of the module registering it in the legacy app."""
        if not self.imported_converters:
            return body
        add_import(self.context, "codemods.runtime.flask.converters", "register_converter")
        first = next(
            (i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef | cst.ClassDef)),
            len(body),
        )
        lines = []
        for name, (module, class_name) in sorted(self.imported_converters.items()):
            dotted = ".".join(part.removesuffix(".py") for part in module if part != "__init__.py")
            source = self.state.to_root + dotted
            add_import(self.context, source, class_name)
            lines.append(cst.parse_statement(f"register_converter({_quoted(name)}, {class_name})"))
        return [*body[:first], *lines, *body[first:]]

    def with_any_registrations(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """`any_of("a", "b")` registers the convertor `{x:any_a_b}` needs, before the routes."""
        if not self.any_sets:
            return body
        first = next(
            (i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef | cst.ClassDef)),
            len(body),
        )
        lines = [
            cst.parse_statement(f"any_of({', '.join(_quoted(v) for v in values)})")
            for values in self.any_sets
        ]
        return [*body[:first], *lines, *body[first:]]


def without_star_kwargs(function: cst.FunctionDef, rule: RoutesRule) -> cst.FunctionDef:
    """`def view(**kwargs)`: Flask passes the route's variables by keyword; FastAPI would read
    `kwargs` as a required query parameter (422). The signature loses it, and a body that reads
    it gets the route's converted path parameters, as Flask's `view_args`."""
    star = function.params.star_kwarg
    if not isinstance(star, cst.Param):
        return function
    name = star.name.value
    result = function.with_changes(params=function.params.with_changes(star_kwarg=None))
    if not rule.uses_name(function.body, name) or not isinstance(function.body, cst.IndentedBlock):
        return result
    add_import(rule.context, CONTEXT, "current_request")
    first = cst.parse_statement(f"{name} = dict(current_request().path_params)")
    body = list(function.body.body)
    at = 1 if body and _is_docstring(body[0]) else 0
    body.insert(at, first)
    return result.with_changes(body=function.body.with_changes(body=body))


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def route_defaults(call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    """`defaults={"page": 1}` of a route decorator, when it is a literal dict of names."""
    arg = keyword(call, "defaults")
    found = arg.value if arg is not None else None
    if not isinstance(found, cst.Dict):
        return None
    values: dict[str, cst.BaseExpression] = {}
    for element in found.elements:
        key = string_value(element.key) if isinstance(element, cst.DictElement) else None
        if key is None or not key.isidentifier():
            return None
        assert isinstance(element, cst.DictElement)
        values[key] = element.value
    return values


def parameter_names(function: cst.FunctionDef) -> set[str]:
    params = function.params
    return {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}


def with_route_defaults(
    function: cst.FunctionDef, defaults: list[dict[str, cst.BaseExpression]]
) -> cst.FunctionDef:
    """A rule's `defaults=` become the defaults of the view's parameters (Flask passes them as
    keyword arguments where the rule has no such variable); the parameters then become
    keyword-only when one without a default would follow one with."""
    merged: dict[str, cst.BaseExpression] = {}
    for values in defaults:
        for name, value in values.items():
            merged.setdefault(name, value)
    params = function.params
    if not merged or not set(merged) <= parameter_names(function):
        return function

    def defaulted(param: cst.Param) -> cst.Param:
        if param.name.value in merged and param.default is None:
            return param.with_changes(
                default=merged[param.name.value],
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(" "),
                    whitespace_after=cst.SimpleWhitespace(" "),
                ),
            )
        return param

    positional = [defaulted(p) for p in params.params]
    keyword_only = [defaulted(p) for p in params.kwonly_params]
    seen_default = False
    ordered = True
    for param in positional:
        seen_default = seen_default or param.default is not None
        ordered = ordered and (param.default is not None or not seen_default)
    if ordered or params.posonly_params:
        return function.with_changes(
            params=params.with_changes(params=positional, kwonly_params=keyword_only)
        )
    star = params.star_arg if isinstance(params.star_arg, cst.Param) else cst.ParamStar()
    return function.with_changes(
        params=params.with_changes(
            params=[], star_arg=star, kwonly_params=[*positional, *keyword_only]
        )
    )
