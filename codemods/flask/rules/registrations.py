"""Routes registered away from their view -> `manual` report entries on the view, with a TODO.

The method-views rule converts a module-level `add_url_rule` beside its view and an app's
`add_url_rule` naming `module.view` (onto that module's router), the routes rule route
decorators (also inside an app factory). Every other registration the route discovery
finds (codemods/flask/route_discovery.py) is reported here, on the view it registers, one entry
per rule and method, `manual` with the reason: `add_url_rule`/`route(rule)(view)` in an app
factory or another module (also through the project's own helpers), Flask-RESTful resources,
Flask-Admin `@expose` views. A registration the method-views rule was expected to convert but
did not is reported too: no route silently vanishes from the report.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.comments import todo_line
from codemods.engine.findings import TODO_PREFIX, Status
from codemods.engine.rule import Rule
from codemods.flask.analysis import analysis_of
from codemods.flask.route_discovery import Registration

ROUTE_ELSEWHERE = (
    "the codemod converts `add_url_rule` beside its view, or on a `Flask()` app naming "
    "`module.view` with no option but methods/endpoint: register the generated handler by hand"
)
RESOURCE = (
    "Flask-RESTful resource: its dispatch and serialisation (dict/tuple returns, reqparse, "
    "marshal_with) have no converter: port it by hand"
)
RESOURCE_RETURNS = (
    "Flask-RESTful resource: a str it returns is answered as JSON there, as text here"
)
ADMIN = (
    "Flask-Admin view: Flask-Admin's views have no FastAPI twin: port it by hand or keep it on "
    "the legacy side"
)


def where(registration: Registration) -> str:
    place = registration.place
    if registration.scope:
        place += f", in {registration.scope}()"
    if registration.helper:
        place += f", through {registration.helper}()"
    return place


def reason(registration: Registration) -> str:
    how, router = registration.how, registration.router
    if how == "add_resource":
        return f"registered by `{router}.add_resource` ({where(registration)}): {RESOURCE}"
    if how == "expose":
        return f"`@expose` ({where(registration)}): {ADMIN}"
    call = f"{router}.add_url_rule" if how == "add_url_rule" else f"{router}.route(...)(view)"
    text = f"registered by `{call}` ({where(registration)}): {ROUTE_ELSEWHERE}"
    if registration.rule is None:
        text += "; its rule is not a literal string"
    return text


def entries(registration: Registration) -> list[tuple[str, str]]:
    """(symbol, method) of each route a registration makes: one per HTTP method of the view."""
    view = registration.view
    if registration.how == "expose":
        return [(registration.symbol or view.name, m) for m in registration.methods or ("GET",)]
    if view.kind == "class" and view.class_methods:
        wanted = registration.methods
        methods = [m for m in view.class_methods if not wanted or m.upper() in wanted]
        return [(f"{view.name}.{m}", m.upper()) for m in methods or view.class_methods]
    return [(view.name, m) for m in registration.methods or ("GET",)]


class RegistrationsRule(Rule):
    name = "registrations"
    DESCRIPTION = "Routes registered away from their view -> manual report entries, with a TODO."
    uses = ("method-views", "routes")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        discovery = analysis_of(self.state).routes
        if discovery.error is not None:
            self.findings.note(None, discovery.error, Status.partial)
        todos: dict[str, list[str]] = {}
        for registration in discovery.of_module(self.state.module_path):
            if registration.converted and self._converted(registration):
                for method in registration.view.string_returns:
                    # a dispatched resource answers through Flask-RESTful's own output_json
                    plain = registration.plain_api and registration.view.plain_resource
                    if registration.how == "add_resource" and plain:
                        self.findings.note(f"{registration.view.name}.{method}", RESOURCE_RETURNS)
                continue
            text = reason(registration)
            for symbol, _method in entries(registration):
                finding = self.findings.add("route", symbol)
                finding.note(text, Status.manual)
                if registration.view.kind == "assigned":
                    finding.line = registration.view.line
            owner = (registration.symbol or registration.view.name).split(".")[0]
            todos.setdefault(owner, [])
            if text not in todos[owner]:
                todos[owner].append(text)
        return with_todos(tree, todos) if todos else tree

    def _converted(self, registration: Registration) -> bool:
        return any(self.findings.find(symbol) for symbol, _ in entries(registration))


def with_todos(tree: cst.Module, todos: dict[str, list[str]]) -> cst.Module:
    """A TODO line per reason above each module-level function or class named in `todos`."""
    body: list[cst.BaseStatement] = []
    for statement in tree.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            reasons = todos.get(statement.name.value, [])
            existing = {line.comment.value for line in statement.leading_lines if line.comment}
            added = [todo_line(r) for r in reasons if f"# {TODO_PREFIX} {r}" not in existing]
            if added:
                statement = statement.with_changes(leading_lines=[*statement.leading_lines, *added])
        body.append(statement)
    return tree.with_changes(body=body)
