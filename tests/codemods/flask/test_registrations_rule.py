"""The registrations rule: a route registered away from its view is reported on the view,
`manual` with the reason, one entry per rule and method, and the view gets a TODO."""

from pathlib import Path
from textwrap import dedent

import pytest

from codemods.engine.findings import Finding, Status
from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.route_discovery import discover_sources
from codemods.flask.rules.method_views import MethodViewsRule
from codemods.flask.rules.registrations import RegistrationsRule
from codemods.flask.rules.routes import RoutesRule
from tests.codemods.support import convert

RULES = [MethodViewsRule, RoutesRule, RegistrationsRule]

API = """\
from flask.views import MethodView


def tags():
    return []


class TagAPI(MethodView):
    def get(self, tag):
        return {}

    def delete(self, tag):
        return "", 204
"""

SERVER = """\
from . import api


def create_app():
    app = Flask(__name__)
    admin = Blueprint("admin", __name__)
    admin.add_url_rule("/api/tags", "tags", api.tags, methods=["GET"])
    app.add_url_rule("/api/tags/<tag>", view_func=api.TagAPI.as_view("tag"), defaults={"x": 1})
    return app
"""

ELSEWHERE = (
    "the codemod converts `add_url_rule` beside its view, or on a `Flask()` app naming "
    "`module.view` with no option but methods/endpoint: register the generated handler by hand"
)


def run(module: str, **sources: str) -> tuple[str, list[Finding]]:
    discovery = discover_sources({(name,): text for name, text in sources.items()})
    analysis = FlaskAnalysis(given_routes=discovery)
    code, findings, _ = convert(sources[module], RULES, module_path=(module,), analysis=analysis)
    return code, findings


def test_a_view_registered_in_a_factory_of_another_module_gets_a_todo() -> None:
    code, _ = run("api.py", **{"api.py": API, "server.py": SERVER})
    todo = "# TODO(strangler): registered by"
    assert code == dedent(f"""\
        from flask.views import MethodView


        {todo} `admin.add_url_rule` (server.py:7, in create_app()): {ELSEWHERE}
        def tags():
            return []


        {todo} `app.add_url_rule` (server.py:8, in create_app()): {ELSEWHERE}
        class TagAPI(MethodView):
            def get(self, tag):
                return {{}}

            def delete(self, tag):
                return "", 204
        """)  # fmt: skip


def test_each_method_of_a_class_based_view_is_a_manual_entry() -> None:
    _, findings = run("api.py", **{"api.py": API, "server.py": SERVER})
    assert [(f.kind, f.symbol, f.status) for f in findings] == [
        ("route", "tags", Status.manual),
        ("route", "TagAPI.get", Status.manual),
        ("route", "TagAPI.delete", Status.manual),
    ]
    assert findings[1].reasons == [
        f"registered by `app.add_url_rule` (server.py:8, in create_app()): {ELSEWHERE}"
    ]


def test_the_module_registering_them_gets_no_entry_of_its_own() -> None:
    _, findings = run("server.py", **{"api.py": API, "server.py": SERVER})
    assert findings == []


def test_an_add_url_rule_beside_its_view_is_converted_not_reported_twice() -> None:
    source = API + '\n\nbp.add_url_rule("/tags/<tag>", view_func=TagAPI.as_view("tag"))\n'
    code, findings = run("api.py", **{"api.py": source})
    assert '@bp.get("/tags/{tag}", name="tag")' in code
    assert "TODO" not in code
    assert [(f.symbol, f.status) for f in findings] == [
        ("TagAPI.get", Status.converted),
        ("TagAPI.delete", Status.converted),
    ]


def test_the_same_view_under_two_rules_gives_an_entry_per_rule() -> None:
    server = SERVER.replace(
        "    return app", '    admin.add_url_rule("/tags", "all_tags", api.tags)\n    return app'
    )
    _, findings = run("api.py", **{"api.py": API, "server.py": server})
    assert [f.symbol for f in findings].count("tags") == 2


def test_a_helper_registration_names_the_helper_and_its_call() -> None:
    helpers = "def register_view(bp, routes, view_func):\n    for route in routes:\n        bp.add_url_rule(route, view_func=view_func)\n"  # noqa: E501
    views = (
        "from .helpers import register_view\n\n\n"
        "def profile():\n    return 'me'\n\n\n"
        "register_view(bp, routes=['/me', '/profile'], view_func=profile)\n"
    )
    _, findings = run("views.py", **{"helpers.py": helpers, "views.py": views})
    assert [(f.symbol, f.status) for f in findings] == [
        ("profile", Status.manual),
        ("profile", Status.manual),
    ]
    assert (
        findings[0]
        .reasons[0]
        .startswith("registered by `bp.add_url_rule` (views.py:8, through register_view()):")
    )


RESOURCE = """\
from flask_restful import Api, Resource, reqparse

api = Api(bp)


class Users(Resource):
    def __init__(self):
        self.reqparse = reqparse.RequestParser()

    def get(self, user_id):
        return {}

    def put(self, user_id):
        return {}


def register():
    api.add_resource(Users, "/users/<int:user_id>", "/u/<int:user_id>", endpoint="user")
"""


def test_a_flask_restful_resource_added_in_a_function_is_manual_per_method_and_url() -> None:
    code, findings = run("views.py", **{"views.py": RESOURCE})
    assert [(f.symbol, f.status) for f in findings] == [
        ("Users.get", Status.manual),
        ("Users.put", Status.manual),
        ("Users.get", Status.manual),
        ("Users.put", Status.manual),
    ]
    assert "Flask-RESTful resource" in findings[0].reasons[0]
    assert "# TODO(strangler): registered by `api.add_resource` (views.py:18" in code


ADMIN = """\
from flask_admin import BaseView, expose


class Stats(BaseView):
    @expose("/", methods=("GET", "POST"))
    def index(self):
        return self.render("stats.html")
"""


def test_a_flask_admin_view_is_manual_per_exposed_method() -> None:
    code, findings = run("views.py", **{"views.py": ADMIN})
    assert [(f.symbol, f.status) for f in findings] == [
        ("Stats.index", Status.manual),
        ("Stats.index", Status.manual),
    ]
    assert "Flask-Admin view" in findings[0].reasons[0]
    assert code.startswith(
        "from flask_admin import BaseView, expose\n\n\n# TODO(strangler): `@expose` (views.py:5)"
    )


def test_through_the_command_the_report_has_an_entry_on_each_registered_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from proxy.cli import app

    package = tmp_path / "bookmarks"
    package.mkdir()
    factory = SERVER.replace("from . import api", "import bookmarks.api as api")
    (package / "__init__.py").write_text(factory)
    (package / "api.py").write_text(API)
    monkeypatch.chdir(tmp_path)
    arguments = ["codemod", "flask", "bookmarks", "--out", "out", "--report", "r.json"]
    result = CliRunner().invoke(app, [*arguments, "--no-verify"])
    assert result.exit_code == 0, result.output
    routes = [e for e in json.loads((tmp_path / "r.json").read_text()) if e["kind"] == "route"]
    assert [(e["source"], e["status"]) for e in routes] == [
        ("bookmarks/api.py:4", "manual"),
        ("bookmarks/api.py:9", "manual"),
        ("bookmarks/api.py:12", "manual"),
    ]


PLAIN_RESOURCE = """\
from flask import Blueprint
from flask_restful import Api, Resource

bp = Blueprint("todos", __name__)
api = Api(bp, prefix="/v1")


class Todo(Resource):
    def get(self, todo_id):
        return {"id": todo_id}

    def delete(self, todo_id):
        return "", 204


api.add_resource(Todo, "/todos/<int:todo_id>")
"""


def test_a_plain_flask_restful_resource_is_converted_like_a_method_view() -> None:
    code, findings = run("views.py", **{"views.py": PLAIN_RESOURCE})
    assert '@bp.get("/v1/todos/{todo_id:int}", name="todos.todo")\ndef todo_get(' in code
    assert '@bp.delete("/v1/todos/{todo_id:int}", name="todos.todo")\ndef todo_delete(' in code
    assert "Api(" not in code and "class Todo" not in code and "TODO(strangler)" not in code
    assert [(f.symbol, f.status) for f in findings] == [
        ("Todo.get", Status.converted),
        ("Todo.delete", Status.partial),
    ]
    assert findings[1].reasons == [
        "Flask-RESTful resource: a str it returns is answered as JSON there, as text here"
    ]


def test_a_discovery_that_failed_is_said_on_the_module() -> None:
    from codemods.flask.route_discovery import RouteDiscovery

    analysis = FlaskAnalysis(
        given_routes=RouteDiscovery(error="routes could not be discovered: boom")
    )
    _, _, notes = convert(API, RULES, module_path=("api.py",), analysis=analysis)
    assert notes == ["routes could not be discovered: boom"]
