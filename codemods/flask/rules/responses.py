"""Return values and response helpers of Flask views -> Starlette responses with the same
status codes, headers and bodies (`jsonify`, `(body, status)`, `abort`, `redirect`, `url_for`,
`make_response`, `Response`, streaming, `send_file`, `render_template`)."""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext, add_import, remove_import, requested_imports
from codemods.engine.edit import expr, kwarg, string_like, without_imported_names
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, positional, string_value
from codemods.engine.rule import Rule
from codemods.engine.state import ModuleState
from codemods.flask.analysis import app_registrations
from codemods.flask.facts import ResponseFacts, RouteFacts
from codemods.flask.tables.responses import (
    CONTEXT,
    RESPONSE_KEYWORDS,
    RUNTIME,
    SAME_SHAPE,
    SEND_FILE_KEYWORDS,
    TEMPLATE_NOTE,
    TEMPLATES_RUNTIME,
)
from codemods.flask.view_decorators import result_decorators

CONVERTED_IN_VIEWS = {"url_for", "render_template", "Response", "send_file", "stream_with_context"}
STRING_NODES = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)
# `"...".join(parts)`, `"...".format(x)`: methods of a string literal answering a string.
STRING_METHODS = frozenset(
    {"join", "format", "lower", "upper", "strip", "lstrip", "rstrip", "replace", "title"}
)


def is_string(value: cst.BaseExpression) -> bool:
    """Whether an expression is a string by its spelling: a literal or f-string, `str(x)`, a
    string method of a literal (`", ".join(methods)`), or `+`/`%` on a literal."""
    if isinstance(value, STRING_NODES):
        return True
    if isinstance(value, cst.Call):
        func = value.func
        if isinstance(func, cst.Name):
            return func.value == "str"
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in STRING_METHODS
            and isinstance(func.value, STRING_NODES)
        )
    if isinstance(value, cst.BinaryOperation):
        return isinstance(value.operator, cst.Add | cst.Modulo) and isinstance(
            value.left, STRING_NODES
        )
    return False


OUTSIDE_VIEW_TEMPLATE_NOTE = (
    "render_template() outside a view (an error handler): rendered for the current request;"
    " the names its templates read are not checked"
)


class ResponsesRule(Rule):
    name = "responses"
    requires = ("routes",)
    DESCRIPTION = "Flask return values and response helpers -> Starlette responses."
    triggers = ("flask",)
    gated = (cst.ClassDef, cst.SimpleStatementLine, cst.Import, cst.ImportFrom, cst.Call)
    gate_names = ("flask",)  # and the names imported from flask (visit_ImportFrom)

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        """Also on a module of plain functions an app factory elsewhere registers as views."""
        return super().triggered(source, state) or bool(app_registrations(state))

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.flask_names: dict[str, str] = {}  # local name -> flask name
        self.flask_module = False  # `import flask`
        self.uses_templates = False
        self.replaced: set[str] = set()
        self.left: set[str] = set()
        self.result_decorators: set[str] = set()
        self.decorated_views: set[str] = set()  # views whose returns a decorator consumes

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.result_decorators = result_decorators(tree)
        return super().transform_module_impl(tree)

    # Pruning: classes (models, forms, schemas) hold no views; other functions only matter when
    # they call a helper renamed module-wide (jsonify, abort, ...); module-level statements only
    # for the imports.
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        # a class's methods may call the helpers renamed module-wide (an Enum of API answers
        # whose `__call__` returns `jsonify(...)`)
        return self.module_wide

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if node.name.value in self.handlers:
            if any(_decorator_name(d) in self.result_decorators for d in node.decorators):
                self.decorated_views.add(node.name.value)
            return True
        return self.module_wide or any(name in self.handlers for name in _nested_names(node))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom | cst.Import)

    @property
    def module_wide(self) -> bool:
        noted = {*SAME_SHAPE, "url_for", "render_template", "send_file", "Response"}
        return bool(set(self.flask_names.values()) & noted) or self.flask_module

    # -- imports -------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self.flask_module = self.flask_module or any(
            dotted_name(alias.name) == "flask" for alias in node.names
        )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if dotted_name(node.module) != "flask" if node.module else True:
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            local = alias.asname.name if alias.asname else alias.name
            if isinstance(local, cst.Name) and isinstance(alias.name, cst.Name):
                self.flask_names[local.value] = alias.name.value
                self.open_gate(local.value)

    def flask_call(self, call: cst.Call) -> str | None:
        name = dotted_name(call.func)
        if name is None:
            return None
        if name.startswith("flask."):
            return name.removeprefix("flask.")
        return self.flask_names.get(name)

    def in_handler(self) -> bool:
        return self.current_function in self.handlers

    def drop_flask(self, name: str) -> None:
        remove_import(self.context, "flask", name)

    # -- calls ---------------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        flask_name = self.flask_call(original_node)
        if flask_name is None:
            return updated_node
        if flask_name in SAME_SHAPE:
            self.replaced.add(flask_name)
            self.use(RUNTIME, flask_name)
            return updated_node.with_changes(func=cst.Name(flask_name))
        if not self.in_handler():
            if flask_name == "url_for":
                return self.url_for(updated_node, request="current_request()")
            if flask_name == "render_template":
                self.replaced.add(flask_name)
                return self.render_template(updated_node, request="current_request()")
            self.left.add(flask_name)
            if flask_name in ("send_file", "Response"):
                self.todo(f"{flask_name}() outside a view needs the request: port by hand")
            return updated_node
        if flask_name in CONVERTED_IN_VIEWS:
            self.replaced.add(flask_name)
        else:
            self.left.add(flask_name)
        if flask_name == "url_for":
            return self.url_for(updated_node)
        if flask_name == "render_template":
            return self.render_template(updated_node)
        if flask_name == "Response":
            return self.response(updated_node)
        if flask_name == "send_file":
            return self.send_file(updated_node)
        if flask_name == "stream_with_context":
            first = positional(updated_node, 0)
            if first is not None:
                self.drop_flask("stream_with_context")
                return first.value
        return updated_node

    def url_for(self, call: cst.Call, request: str = "request") -> cst.BaseExpression:
        """`url_for(endpoint, **values)` -> the runtime's, given the handler's `request` (or,
        outside a view, the bound `current_request()`)."""
        first = positional(call, 0)
        if first is None:
            self.todo("url_for() without an endpoint")
            self.left.add("url_for")
            return call
        endpoint = string_value(first.value)
        if endpoint is None:  # computed: the runtime resolves it by route name when called
            return self.runtime_url_for(call, first, request)
        if endpoint == "static" or endpoint.endswith(".static"):
            self.todo("url_for('static'): static files are not served by the migrated app")
            self.left.add("url_for")
            return call
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in ("_external", "_anchor"):
                self.todo(f"url_for({arg.keyword.value}=...) is not supported")
        if endpoint.startswith("."):
            names = self.read(RouteFacts).blueprint_names
            blueprint = next((n for n in names.values() if n), "")
            endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
            # quoted as the legacy string is: it may stand inside an f-string
            first = first.with_changes(value=string_like(endpoint, first.value))
        return self.runtime_url_for(call, first, request)

    def runtime_url_for(self, call: cst.Call, endpoint: cst.Arg, request: str) -> cst.Call:
        rest = [a for a in call.args if a is not positional(call, 0)]
        self.replaced.add("url_for")
        self.use(RUNTIME, "url_for")
        if request != "request":
            self.use(CONTEXT, "current_request")
            self.own(ResponseFacts).binds_request = True
        return call.with_changes(
            func=cst.Name("url_for"),
            args=[
                cst.Arg(expr(request)),
                endpoint.with_changes(comma=cst.MaybeSentinel.DEFAULT),
                *rest,
            ],
        )

    def render_template(self, call: cst.Call, request: str = "request") -> cst.BaseExpression:
        """`render_template(name, **context)` -> `templates.TemplateResponse(request, name,
        {context})`; outside a view (an error handler) with the bound `current_request()`."""
        first = positional(call, 0)
        if first is None:
            self.todo("render_template() without a template name")
            return call
        elements: list[cst.BaseDictElement] = []
        for arg in call.args:
            if arg is first:
                continue
            if arg.star == "**":
                elements.append(cst.StarredDictElement(arg.value))
            elif arg.keyword is not None:
                elements.append(cst.DictElement(expr(f'"{arg.keyword.value}"'), arg.value))
        self.uses_templates = True
        self.drop_flask("render_template")
        if request == "request":
            self.findings.note(self.current_function, TEMPLATE_NOTE)
        else:
            self.use(CONTEXT, "current_request")
            self.own(ResponseFacts).binds_request = True
            self.findings.note(None, OUTSIDE_VIEW_TEMPLATE_NOTE)
        return cst.Call(
            func=expr("templates.TemplateResponse"),
            args=[
                cst.Arg(expr(request)),
                cst.Arg(first.value),
                cst.Arg(cst.Dict(elements)),
            ],
        )

    def response(self, call: cst.Call) -> cst.BaseExpression:
        args: list[cst.Arg] = []
        streaming = False
        for arg in call.args:
            if arg.keyword is None:
                if not args and isinstance(arg.value, cst.Call | cst.GeneratorExp):
                    streaming = True
                args.append(arg)
                continue
            mapped = RESPONSE_KEYWORDS.get(arg.keyword.value)
            if mapped is None:
                self.todo(f"Response({arg.keyword.value}=...) is not converted")
                self.left.add("Response")
                return call
            args.append(arg.with_changes(keyword=cst.Name(mapped)))
        positional_args = [a for a in args if a.keyword is None]
        if len(positional_args) > 1:
            self.todo("Response() with positional status/headers: check the conversion")
            self.left.add("Response")
            return call
        kind = "StreamingResponse" if streaming else "Response"
        self.drop_flask("Response")
        self.use("fastapi.responses", kind)
        return call.with_changes(func=cst.Name(kind), args=args)

    def send_file(self, call: cst.Call) -> cst.BaseExpression:
        args: list[cst.Arg] = []
        attachment: cst.BaseExpression | None = None
        for arg in call.args:
            if arg.keyword is None:
                args.append(arg)
                continue
            key = arg.keyword.value
            if key == "as_attachment":
                attachment = arg.value
                continue
            mapped = SEND_FILE_KEYWORDS.get(key)
            if mapped is None:
                self.todo(f"send_file({key}=...) is not converted")
                self.left.add("send_file")
                return call
            args.append(arg.with_changes(keyword=cst.Name(mapped)))
        if attachment is not None:
            value = (
                cst.SimpleString('"attachment"')
                if isinstance(attachment, cst.Name) and attachment.value == "True"
                else cst.IfExp(
                    test=attachment,
                    body=cst.SimpleString('"attachment"'),
                    orelse=cst.SimpleString('"inline"'),
                )
            )
            args.append(kwarg("content_disposition_type", value))
        self.findings.note(
            self.current_function,
            "send_file -> FileResponse: needs a path (not a file object); conditional and"
            " cache headers differ",
        )
        self.drop_flask("send_file")
        self.use("fastapi.responses", "FileResponse")
        return call.with_changes(func=cst.Name("FileResponse"), args=args)

    # -- headers ---------------------------------------------------------------------------------
    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.BaseSmallStatement:
        """`response.headers.set(name, value)` -> `response.headers[name] = value`: Werkzeug's
        `Headers.set` replaces every value of the header, as item assignment does on Starlette's
        `MutableHeaders` (which has no `set`) and on Werkzeug's `Headers` alike."""
        call = updated_node.value
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "set"
            and isinstance(call.func.value, cst.Attribute)
            and call.func.value.attr.value == "headers"
            and len(call.args) == 2
            and all(a.keyword is None and not a.star for a in call.args)
        ):
            return updated_node
        target = cst.Subscript(
            value=call.func.value,
            slice=[cst.SubscriptElement(cst.Index(call.args[0].value))],
        )
        value = call.args[1].value
        if not is_string(value):
            value = cst.Call(cst.Name("str"), [cst.Arg(value)])
        return cst.Assign(targets=[cst.AssignTarget(target)], value=value)

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        """`response.headers[name] = value` with a value that may not be a string
        (`os.path.getsize(path)`) -> `str(value)`: Werkzeug's headers take any value as its
        `str()`, Starlette's only a string."""
        if not (
            len(updated_node.targets) == 1
            and isinstance(updated_node.targets[0].target, cst.Subscript)
            and _is_headers(updated_node.targets[0].target.value)
            and not is_string(updated_node.value)
        ):
            return updated_node
        value = updated_node.value
        return updated_node.with_changes(value=cst.Call(cst.Name("str"), [cst.Arg(value)]))

    # -- return values -------------------------------------------------------------------------
    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        if not self.in_handler() or self._classes:
            return updated_node
        if self.current_function in self.decorated_views:
            return updated_node  # the decorator's input: it makes the response
        value = updated_node.value
        if value is None:
            self.todo("a view returning None is an error in Flask", Status.manual)
            return updated_node
        return updated_node.with_changes(value=self.as_response(value))

    def as_response(self, value: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(value, cst.Tuple):
            parts = [e.value for e in value.elements]
            body, rest = parts[0], parts[1:]
            if (
                isinstance(body, cst.Call)
                and dotted_name(body.func) == "jsonify"
                and len(body.args) == 1
                and body.args[0].keyword is None
                and not body.args[0].star
            ):
                return self.runtime_call("json_response", [body.args[0].value, *rest])
            if isinstance(body, STRING_NODES):
                return self.runtime_call("text_response", [body, *rest])
            if isinstance(body, cst.Dict | cst.List):
                return self.runtime_call("json_response", [body, *rest])
            return self.runtime_call("make_response", parts)
        if isinstance(value, cst.Dict | cst.List | cst.DictComp | cst.ListComp):
            return self.runtime_call("json_response", [value])
        if isinstance(value, STRING_NODES):
            return self.runtime_call("text_response", [value])
        if isinstance(value, cst.Call):
            callee = dotted_name(value.func) or ""
            if callee in (
                "jsonify",
                "redirect",
                "make_response",
                "Response",
                "StreamingResponse",
                "FileResponse",
                "templates.TemplateResponse",
                "json_response",
                "text_response",
                "dispatch_resource",  # a Flask-RESTful resource's answer, made by the runtime
            ):
                return value
        return self.runtime_call("make_response", [value])

    def alias_runtime_url_for(self, module: cst.Module) -> cst.Module:
        """Flask's url_for stays for code outside views: the views' one is imported as
        `request_url_for` so the two names do not clash."""
        requests = requested_imports(self.context)
        requests[:] = [
            item
            for item in requests
            if not (item.module_name == RUNTIME and item.obj_name == "url_for" and not item.alias)
        ]
        add_import(self.context, RUNTIME, "url_for", "request_url_for")

        class Rename(cst.CSTTransformer):
            def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
                first = updated.args[0].value if updated.args else None
                if (
                    dotted_name(updated.func) == "url_for"
                    and first is not None
                    and dotted_name(first) == "request"
                ):
                    return updated.with_changes(func=cst.Name("request_url_for"))
                return updated

        renamed = self.rewrite(module, Rename())
        assert isinstance(renamed, cst.Module)
        return renamed

    def runtime_call(self, name: str, values: list[cst.BaseExpression]) -> cst.Call:
        self.use(RUNTIME, name)
        return cst.Call(func=cst.Name(name), args=[cst.Arg(v) for v in values])

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        name = updated_node.name.value
        if name not in self.handlers or updated_node.returns is not None:
            return updated_node
        if name in self.decorated_views:
            return updated_node
        self.use("fastapi", "Response")
        return updated_node.with_changes(returns=cst.Annotation(cst.Name("Response")))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if "url_for" in self.replaced and "url_for" in self.left:
            updated_node = self.alias_runtime_url_for(updated_node)
        if self.replaced:
            body = without_imported_names(updated_node.body, "flask", self.replaced - self.left)
            updated_node = updated_node.with_changes(body=body)
        if not self.uses_templates:
            return updated_node
        package = self.state.source_package
        if isinstance(package, str):
            self.use(TEMPLATES_RUNTIME, "flask_templates")
            line = f'templates = flask_templates("{package}")'
        else:
            self.use("fastapi.templating", "Jinja2Templates")
            line = 'templates = Jinja2Templates(directory="templates")'
            self.findings.note(None, "templates folder: set Jinja2Templates(directory=...)")
        statements: list[cst.BaseStatement] = list(updated_node.body)
        first = next(
            (i for i, s in enumerate(statements) if isinstance(s, cst.FunctionDef | cst.ClassDef)),
            len(statements),
        )
        return updated_node.with_changes(
            body=[*statements[:first], cst.parse_statement(line), *statements[first:]]
        )


def _is_headers(node: cst.BaseExpression) -> bool:
    """`<something>.headers`, not the request's (`request.headers` is read-only)."""
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "headers"
        and dotted_name(node.value) not in ("request", "flask.request")
    )


def _decorator_name(decorator: cst.Decorator) -> str | None:
    target = decorator.decorator
    return dotted_name(target.func if isinstance(target, cst.Call) else target)


def _nested_names(function: cst.FunctionDef) -> list[str]:
    """Names of the functions defined directly in a function's body (views in an app factory)."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else []
    return [s.name.value for s in body if isinstance(s, cst.FunctionDef)]
