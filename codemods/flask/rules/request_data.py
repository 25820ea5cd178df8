"""`flask.request` in views -> declared FastAPI parameters (Query, Form, Header, Cookie,
UploadFile, a JSON body dependency) and the Starlette `Request`.

Query and form values are declared as optional strings and converted in the handler with
Werkzeug's rules, so `request.args.get(k, d, type=int)` still falls back to `d` on a bad value
(a typed `k: int` parameter would answer 422), and `request.args[k]` still answers 400.
"""

from __future__ import annotations

import re

import libcst as cst

from codemods.engine.context import ModuleContext, add_import, remove_import
from codemods.engine.edit import add_keyword_params, expr, kwarg, without_imported_names
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, keyword, positional, string_value
from codemods.engine.rule import Rule
from codemods.flask.body_model import infer_body_model
from codemods.flask.facts import RequestFacts
from codemods.flask.tables.request import (
    ATTRIBUTES,
    JSON_DEPENDENCIES,
    MANUAL,
    REQUEST_FUNCTIONS,
    SOURCES,
)
from codemods.flask.tables.responses import CONTEXT, RUNTIME

JSON_PARAM = "json_payload"


FILES_RUNTIME = "codemods.runtime.flask.files"


def identifier(key: str) -> str:
    name = re.sub(r"\W", "_", key).strip("_").lower() or "value"
    return f"_{name}" if name[0].isdigit() else name


class RequestDataRule(Rule):
    name = "request-data"
    DESCRIPTION = "flask.request in views -> typed FastAPI parameters and the Starlette Request."
    # render_template, url_for and send_file become calls given the handler's `request` (the
    # responses rule, earlier)
    triggers = ("request", "render_template", "url_for", "send_file")
    requires = ("routes",)
    gated = (
        cst.ImportFrom,
        cst.ClassDef,
        cst.SimpleStatementLine,
        cst.Attribute,
        cst.Call,
        cst.Subscript,
    )
    gate_names = ("request", "flask")

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.imported = False
        self.params: dict[str, dict[str, tuple[str, str | None]]] = {}
        self.handled: set[int] = set()
        self.flagged_helpers: set[str] = set()
        self.wrapped_views: set[str] = set()  # a decorator of the app's own runs first
        # views routed for another method than GET: their `request.values` holds the form too
        self.form_values: set[str] = set()
        self.catching = 0  # depth of `try`/`with` blocks around the current node

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or dotted_name(node.module) != "flask":
            return
        if isinstance(node.names, cst.ImportStar):
            self.imported = True
            return
        for alias in node.names:
            if isinstance(alias.name, cst.Name) and alias.name.value == "request":
                self.imported = alias.asname is None

    def is_request(self, node: cst.BaseExpression) -> bool:
        name = dotted_name(node)
        return (self.imported and name == "request") or name == "flask.request"

    def in_handler(self) -> bool:
        return self.current_function in self.handlers and not self._classes

    def declare(self, name: str, annotation: str, default: str | None) -> None:
        function = self.current_function
        assert function is not None
        self.params.setdefault(function, {})[name] = (annotation, default)

    def source_of(self, node: cst.BaseExpression) -> str | None:
        """`args` for `request.args`, etc."""
        if isinstance(node, cst.Attribute) and self.is_request(node.value):
            return node.attr.value
        return None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        name = node.name.value
        if name in self.handlers:
            router = self.handlers[name]
            if any(not _on_router(d, router) for d in node.decorators):
                self.wrapped_views.add(name)
            if not all(_only_get(d) for d in node.decorators if _on_router(d, router)):
                self.form_values.add(name)
            return True
        # A function declaring views (a blueprint factory): its views are rewritten, and only
        # its own code reading the request is flagged.
        views = [s for s in node.body.body if self.is_handler_def(s)]
        own_code = (
            [s for s in node.body.body if not self.is_handler_def(s)] if views else [node.body]
        )
        if self.imported and any(self.uses_name(code, "request") for code in own_code):
            self.flagged_helpers.add(name)
            self.own(RequestFacts).request_helpers.add(name)
        return bool(views)  # pruning: only views are rewritten

    def is_handler_def(self, statement: cst.CSTNode) -> bool:
        return isinstance(statement, cst.FunctionDef) and statement.name.value in self.handlers

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom)

    # -- parameters ----------------------------------------------------------------------------
    def keyed(self, source: str, key: str, multi: bool) -> str:
        """Declare the parameter for `request.<source>[key]` and return its name."""
        if source == "files":
            name = f"file_{identifier(key)}"
            # A dependency, not a File() body parameter: FastAPI parses body parameters before
            # any dependency runs, so a malformed upload would answer 400 before the guards'
            # 401/403 (Flask reads request.files only when the view does).
            self.use("typing", "Annotated")
            self.use("fastapi", "Depends")
            self.use("starlette.datastructures", "UploadFile")
            dependency = "uploaded_list" if multi else "uploaded"
            self.use(FILES_RUNTIME, dependency)
            upload_type = "list[UploadFile]" if multi else "UploadFile | None"
            self.declare(name, f'Annotated[{upload_type}, Depends({dependency}("{key}"))]', None)
            # FileStorage's methods on the UploadFile are the uploads rule's.
            self.own(RequestFacts).upload_params.add(name)
            return name
        if source == "values" and self.current_function in self.form_values:
            # a view taking the form: Werkzeug's `request.values`, the query string's values
            # then (for another method than GET) the form's, from a dependency
            name = f"values_{identifier(key)}"
            dependency = "all_values_of" if multi else "value_of"
            self.use("typing", "Annotated")
            self.use("fastapi", "Depends")
            self.use(CONTEXT, dependency)
            value_type = "list[str]" if multi else "str | None"
            self.declare(name, f'Annotated[{value_type}, Depends({dependency}("{key}"))]', None)
            return name
        spec = SOURCES[source]
        name = f"{spec.prefix}_{identifier(key)}"
        value_type = "list[str] | None" if multi else "str | None"
        self.use("typing", "Annotated")
        self.use("fastapi", spec.fastapi)
        self.declare(name, f'Annotated[{value_type}, {spec.fastapi}(alias="{key}")]', "None")
        return name

    def visit_Try(self, node: cst.Try) -> None:
        self.catching += catches_request_errors(node)

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        self.catching -= catches_request_errors(original_node)
        return updated_node

    def visit_With(self, node: cst.With) -> None:
        self.catching += 1

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        self.catching -= 1
        return updated_node

    def json_param(self, call: cst.Call | None) -> cst.BaseExpression:
        mode = "plain"
        if call is not None:
            for option in ("silent", "force"):
                arg = keyword(call, option)
                if arg is not None and dotted_name(arg.value) == "True":
                    mode = option
        if self.catching or self.current_function in self.wrapped_views:
            return self.lazy_json(mode)
        dependency = JSON_DEPENDENCIES[mode]
        self.use("typing", "Annotated")
        self.use("typing", "Any")
        self.use("fastapi", "Depends")
        self.use(RUNTIME, dependency)
        self.declare(JSON_PARAM, f"Annotated[Any, Depends({dependency})]", None)
        return cst.Name(JSON_PARAM)

    def computed(self, attribute: str) -> cst.BaseExpression:
        """`request.environ`, `request.accept_languages`...: what the runtime computes from the
        Starlette request (REQUEST_FUNCTIONS)."""
        function = REQUEST_FUNCTIONS[attribute]
        self.use(CONTEXT, function)
        return expr(f"{function}(request)")

    def lazy_json(self, mode: str) -> cst.BaseExpression:
        """`request_json(...)`, read where the view reads it: a body dependency would answer
        415/400 before a decorator of the app's own ran (its login redirect), or where a `try`
        or a context manager around the read (`session_scope()`) catches Flask's error."""
        self.use(CONTEXT, "request_json")
        option = "" if mode == "plain" else f"{mode}=True"
        return expr(f"request_json({option})")

    # -- expressions ---------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):
            self.handled.add(id(node.func.value))
            self.handled.add(id(node.func))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.handled.add(id(node.value))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not self.in_handler() or not isinstance(func, cst.Attribute):
            return updated_node
        if self.is_request(func.value) and func.attr.value == "get_json":
            return self.json_param(original_node)
        if self.is_request(func.value) and func.attr.value == "get_data":
            self.use(CONTEXT, "request_data")
            return updated_node.with_changes(func=cst.Name("request_data"))
        source = self.source_of(func.value)
        if source is None:
            if self.is_request(func.value):
                return self.unknown(func.attr.value, updated_node)
            return updated_node
        method = func.attr.value
        if source in REQUEST_FUNCTIONS:  # `request.environ.get(k)`, `...best_match(x)`
            new_func = cst.ensure_type(updated_node.func, cst.Attribute)
            value = self.computed(source)
            return updated_node.with_changes(func=new_func.with_changes(value=value))
        if source not in SOURCES and source != "files":
            return updated_node
        key_arg = positional(updated_node, 0)
        key = string_value(key_arg.value) if key_arg else None
        if key is None or method not in ("get", "getlist"):
            return self.bare_source(source, updated_node, original_node)
        if method == "getlist":
            name = self.keyed(source, key, multi=True)
            convert = keyword(updated_node, "type")
            if convert is not None:
                self.use(RUNTIME, "coerce_list")
                return expr(f"coerce_list({name}, {_code(convert.value)})")
            return expr(f"({name} or [])")
        name = self.keyed(source, key, multi=False)
        default_arg = positional(updated_node, 1) or keyword(updated_node, "default")
        convert = keyword(updated_node, "type")
        default = _code(default_arg.value) if default_arg else "None"
        if convert is not None:
            self.use(RUNTIME, "coerce_arg")
            return expr(f"coerce_arg({name}, {_code(convert.value)}, {default})")
        if default_arg is not None:
            return expr(f"({name} if {name} is not None else {default})")
        return expr(name)

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        if not self.in_handler():
            return updated_node
        source = self.source_of(original_node.value)
        if source in REQUEST_FUNCTIONS:  # `request.environ[k]`
            return updated_node.with_changes(value=self.computed(source))
        if source is None or (source not in SOURCES and source != "files"):
            return updated_node
        index = original_node.slice[0].slice if len(original_node.slice) == 1 else None
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        if key is None:
            return self.bare_source(source, updated_node, original_node)
        name = self.keyed(source, key, multi=False)
        self.use(RUNTIME, "require_arg")
        return expr(f'require_arg({name}, "{key}")')

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self.in_handler() or id(original_node) in self.handled:
            return updated_node
        if not self.is_request(original_node.value):
            inner = original_node.value
            if (
                isinstance(inner, cst.Attribute)
                and self.is_request(inner.value)
                and f"{inner.attr.value}.{original_node.attr.value}" in ATTRIBUTES
            ):
                attribute = f"{inner.attr.value}.{original_node.attr.value}"
                return expr(ATTRIBUTES[attribute].format(r="request"))
            return updated_node
        attribute = original_node.attr.value
        if attribute == "json":
            return self.json_param(None)
        if attribute == "data":
            self.use(CONTEXT, "request_data")
            return expr("request_data()")
        if attribute in REQUEST_FUNCTIONS:
            return self.computed(attribute)
        if attribute in ATTRIBUTES:
            return expr(ATTRIBUTES[attribute].format(r="request"))
        if attribute in SOURCES or attribute == "files":
            return self.bare_source(attribute, updated_node, original_node)
        if attribute == "user_agent":
            return updated_node
        return self.unknown(attribute, updated_node)

    def bare_source(
        self, source: str, updated: cst.BaseExpression, original: cst.CSTNode
    ) -> cst.BaseExpression:
        """`request.args` used as a whole: Starlette's multi-dicts where they behave the same."""
        if source in ("form", "values"):  # Werkzeug's MultiDict of the request's form
            self.use(CONTEXT, f"request_{source}")
            code = cst.Module(body=[]).code_for_node(updated)
            return expr(code.replace(f"request.{source}", f"request_{source}()", 1))
        replacement = {"args": "query_params", "headers": "headers", "cookies": "cookies"}
        if source not in replacement:
            return self.unknown(source, updated)
        self.findings.note(
            self.current_function,
            f"request.{source} used as a whole: its keys are not declared parameters",
        )
        code = cst.Module(body=[]).code_for_node(updated)
        return expr(code.replace(f"request.{source}", f"request.{replacement[source]}", 1))

    def unknown(self, attribute: str, node: cst.BaseExpression) -> cst.BaseExpression:
        """Left on Flask's request (fails outside Flask) and marked for a person."""
        reason = MANUAL.get(attribute, f"request.{attribute} has no converted form")
        self.todo(reason, Status.manual)
        add_import(self.context, "flask", "request", "flask_request")
        code = cst.Module(body=[]).code_for_node(node)
        return expr(code.replace("request.", "flask_request.", 1))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        """Flask's request is gone once every view has its own `request` parameter."""
        if not self.imported or self.flagged_helpers:
            return updated_node
        return updated_node.with_changes(
            body=without_imported_names(updated_node.body, "flask", {"request"})
        )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        name = original_node.name.value
        if name in self.flagged_helpers:
            self.findings.note(None, f"{name}() reads flask.request outside a view")
            return updated_node.with_changes(
                leading_lines=[
                    *updated_node.leading_lines,
                    cst.EmptyLine(
                        comment=cst.Comment(
                            f"# TODO(strangler): {name}() reads flask.request outside a view;"
                            " pass the values from the handler"
                        )
                    ),
                ]
            )
        if name not in self.handlers or self._classes:
            return updated_node
        additions = [(n, a, d) for n, (a, d) in self.params.get(name, {}).items()]
        if self.uses_name(updated_node.body, "request"):
            self.use("fastapi", "Request")
            additions.insert(0, ("request", "Request", None))
        remove_import(self.context, "flask", "request")
        result = add_keyword_params(updated_node, additions)
        if JSON_PARAM in self.params.get(name, {}):
            return self.with_body_model(result)
        return result

    def with_body_model(
        self, function: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        """Document the JSON body in OpenAPI with a model inferred from the keys read."""
        name = function.name.value
        model_name = "".join(part.title() for part in name.split("_")) + "Body"
        model = infer_body_model(function, JSON_PARAM, model_name)
        if model is None:
            return function
        self.use("pydantic", "BaseModel")
        if any(f.annotation == "Any" for f in model.fields):
            self.use("typing", "Any")
        if any(f.annotation == "Decimal" for f in model.fields):
            self.use("decimal", "Decimal")
        router = self.handlers[name]
        extra = kwarg(
            "openapi_extra",
            expr(
                '{"requestBody": {"required": True, "content": {"application/json": '
                f'{{"schema": {model_name}.model_json_schema()}}}}}}}}'
            ),
        )
        decorators = []
        for decorator in function.decorators:
            call = decorator.decorator
            if isinstance(call, cst.Call) and (dotted_name(call.func) or "").startswith(
                f"{router}."
            ):
                decorator = decorator.with_changes(
                    decorator=call.with_changes(args=[*call.args, extra])
                )
            decorators.append(decorator)
        self.findings.note(
            name,
            f"JSON body documented by {model_name} (inferred from the keys read)",
            Status.converted,
        )
        model_statement = cst.parse_statement(model.code())
        return cst.FlattenSentinel(
            [
                model_statement.with_changes(leading_lines=function.leading_lines),
                function.with_changes(
                    decorators=decorators, leading_lines=[cst.EmptyLine(), cst.EmptyLine()]
                ),
            ]
        )


# What Flask's `get_json()` raises (415/400), and the bases a handler could catch it by.
REQUEST_ERRORS = frozenset(
    {"Exception", "BaseException", "HTTPException", "BadRequest", "UnsupportedMediaType"}
)


def catches_request_errors(node: cst.Try) -> bool:
    """Whether one of the `try`'s handlers catches what `request.get_json()` raises (a bare
    `except:`, `except Exception`, Werkzeug's `BadRequest`...)."""
    for handler in node.handlers:
        if handler.type is None:
            return True
        caught = handler.type.elements if isinstance(handler.type, cst.Tuple) else None
        types = [e.value for e in caught] if caught is not None else [handler.type]
        if any((dotted_name(t) or "").rpartition(".")[2] in REQUEST_ERRORS for t in types):
            return True
    return False


def _on_router(decorator: cst.Decorator, router: str) -> bool:
    """A route decorator of the handler's router (`@bp.get(...)`)."""
    call = decorator.decorator
    name = dotted_name(call.func if isinstance(call, cst.Call) else call) or ""
    return name.startswith(f"{router}.")


def _only_get(decorator: cst.Decorator) -> bool:
    """A route decorator for GET alone: `@bp.get(...)`, or `api_route` (Flask's `route`, not
    converted yet) with `methods=["GET"]` (HEAD too), or `route` without `methods`."""
    call = decorator.decorator
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return False
    verb = call.func.attr.value
    if verb not in ("api_route", "route"):
        return verb == "get"
    methods = keyword(call, "methods")
    if methods is None:
        return verb == "route"
    if not isinstance(methods.value, cst.List | cst.Tuple):
        return False
    return {string_value(e.value) for e in methods.value.elements} <= {"GET", "HEAD"}


def _code(node: cst.BaseExpression) -> str:
    return cst.Module(body=[]).code_for_node(node)
