"""Flask-RESTful resources that do not convert like a MethodView (an `__init__` building a
`reqparse.RequestParser`, `method_decorators`, a base class of the project's own, `marshal_with`,
`fields`, `flask_restful.abort`): the class stays as it is, and each HTTP method it defines gets
a route function calling the runtime's `dispatch_resource` (codemods/runtime/flask/restful.py),
which runs the resource as Flask-RESTful does and answers as it answers:

    class Domains(AuthenticatedResource):        class Domains(AuthenticatedResource):
        def get(self, domain_id): ...                def get(self, domain_id): ...

    api.add_resource(                            @mod.route("/domains/<int:domain_id>",
        Domains,                                            methods=["GET"], endpoint="domain")
        "/domains/<int:domain_id>",              def domains_get(request: Request, domain_id):
        endpoint="domain",                           return dispatch_resource(
    )                                                    request, Domains, "get",
                                                         domain_id=domain_id)

The routes rule then converts the decorators (path converters, names, `Api(prefix=)`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import libcst as cst

RUNTIME = "codemods.runtime.flask.restful"
DISPATCH = "dispatch_resource"
# The route's parameter the request comes in (annotated `Request` by the rule).
REQUEST = "request"
VIEW_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
# `<int:domain_id>`, `<name>`: the names of a Werkzeug rule's parameters.
RULE_PARAMETER = re.compile(r"<(?:[^<>:]+(?:\([^<>]*\))?:)?(\w+)>")
# A Flask-Principal permission read in a method (`StrictRolePermission().can()`,
# `admin_permission.require(http_exception=403)`): it reads `flask.g.identity`, which only a
# Principal registered on the app sets from `identity_changed`. Ported when the package registers
# its principal with `init_app` (the principal rule); reported when it does not.
PERMISSION = re.compile(r"\b\w*(Permission|_permission)\b")
PERMISSION_REASON = (
    "{resource}.{method} checks a Flask-Principal permission: it reads flask.g.identity, set by "
    "the legacy app's Principal only (made with its app, not registered with init_app); an "
    "authenticated call answers 500 until the permission is ported"
)


def rule_parameters(rule: str) -> tuple[str, ...]:
    return tuple(RULE_PARAMETER.findall(rule))


def http_methods(node: cst.ClassDef) -> list[cst.FunctionDef]:
    """The HTTP methods the class body defines, in its order."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    return [s for s in body if isinstance(s, cst.FunctionDef) and s.name.value in VIEW_METHODS]


def permission_in(method: cst.FunctionDef) -> bool:
    return bool(PERMISSION.search(cst.Module(body=[]).code_for_node(method)))


def route_functions(
    resource: str,
    snake_name: str,
    method: cst.FunctionDef,
    rules: Sequence[tuple[str, str]],
    decorator: Callable[[str, str], cst.Decorator],
) -> list[tuple[str, cst.FunctionDef]]:
    """One route function per group of the resource's rules sharing their parameters: (its name,
    its code). `rules` are (rule, verb) pairs allowed for this method; `decorator(rule, verb)`
    is the Flask route decorator to put on it."""
    verb = method.name.value
    groups: dict[tuple[str, ...], list[str]] = {}
    for rule, _ in rules:
        groups.setdefault(rule_parameters(rule), []).append(rule)
    made = []
    for index, (parameters, grouped) in enumerate(groups.items()):
        name = f"{snake_name}_{verb}" + (f"_{index + 1}" if index else "")
        arguments = "".join(f", {p}={p}" for p in parameters)
        code = (
            f"def {name}({', '.join([REQUEST, *parameters])}):\n"
            f'    return {DISPATCH}({REQUEST}, {resource}, "{verb}"{arguments})\n'
        )
        function = cst.parse_statement(code)
        assert isinstance(function, cst.FunctionDef)
        params = function.params.params
        annotated = params[0].with_changes(annotation=cst.Annotation(cst.Name("Request")))
        function = function.with_changes(
            params=function.params.with_changes(params=[annotated, *params[1:]]),
            decorators=[decorator(rule, verb.upper()) for rule in grouped],
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
        )
        made.append((name, function))
    return made
