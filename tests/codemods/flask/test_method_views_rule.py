"""The method-views rule: MethodView classes and add_url_rule -> one route per method."""

from pathlib import Path
from textwrap import dedent

from codemods.engine.findings import Status
from codemods.flask.rules.method_views import MethodViewsRule
from codemods.flask.rules.routes import RoutesRule
from tests.codemods.support import convert

RULES = [MethodViewsRule, RoutesRule]

SOURCE = """
from flask.views import MethodView

bp = Blueprint("catalog", __name__)


class CategoryAPI(MethodView):
    def get(self, category_id):
        return "one"

    @admin_required
    def delete(self, category_id):
        return "", 204


class Counter(MethodView):
    def get(self):
        return str(self.count)


def ping():
    return "pong"


bp.add_url_rule("/categories/<int:category_id>", view_func=CategoryAPI.as_view("category"))
bp.add_url_rule("/count", view_func=Counter.as_view("count"))
bp.add_url_rule("/ping", view_func=ping)
"""


def test_each_method_becomes_a_route_function() -> None:
    code, _, _ = convert(SOURCE, RULES)
    assert '@bp.get("/categories/{category_id:int}", name="catalog.category")' in code
    assert "def category_api_get(category_id: int):" in code
    assert (
        '@bp.delete("/categories/{category_id:int}", name="catalog.category")\n@admin_required'
        in code
    )
    assert "class CategoryAPI" not in code
    assert "add_url_rule" not in code


def test_plain_view_functions_get_a_route_decorator() -> None:
    code, _, _ = convert(SOURCE, RULES)
    assert '@bp.get("/ping", name="catalog.ping")\ndef ping():' in code


def test_findings_point_at_the_class_methods() -> None:
    _, findings, _ = convert(SOURCE, RULES)
    assert {f.symbol for f in findings} == {
        "CategoryAPI.get",
        "CategoryAPI.delete",
        "Counter.get",
        "ping",
    }


def test_a_method_using_self_is_manual() -> None:
    code, findings, _ = convert(SOURCE, RULES)
    counter = next(f for f in findings if f.symbol == "Counter.get")
    assert counter.status == Status.manual
    assert "# TODO(strangler): Counter.get uses self" in code


def test_a_plain_flask_restful_resource_becomes_route_functions() -> None:
    before = """
    api = Api(app, prefix="/v1")


    class Todo(Resource):
        \"\"\"One todo.\"\"\"

        def get(self, todo_id):
            return {"id": todo_id}


    api.add_resource(Todo, "/todos/<int:todo_id>", "/t/<int:todo_id>")
    """
    code, findings, _ = convert(dedent(before), RULES)
    assert code == dedent("""




        @app.get("/v1/todos/{todo_id:int}", name="todo")
        @app.get("/v1/t/{todo_id:int}", name="todo")
        def todo_get(todo_id: int):
            return {"id": todo_id}
        """)
    assert [f.symbol for f in findings] == ["Todo.get", "Todo.get"]


def test_a_resource_with_state_or_reqparse_is_kept_and_dispatched_per_method() -> None:
    before = """
    from flask_restful import Api, Resource, reqparse

    api = Api(bp)


    class Todo(Resource):
        method_decorators = [login_required]

        def __init__(self):
            self.reqparse = reqparse.RequestParser()

        def get(self, todo_id):
            return {"id": todo_id}


    api.add_resource(Todo, "/todos/<int:todo_id>", endpoint="todo")
    """
    code, findings, _ = convert(dedent(before), RULES)
    assert code == dedent("""
        from flask_restful import Api, Resource, reqparse
        from codemods.runtime.flask.restful import dispatch_resource
        from fastapi import Request


        class Todo(Resource):
            method_decorators = [login_required]

            def __init__(self):
                self.reqparse = reqparse.RequestParser()

            def get(self, todo_id):
                return {"id": todo_id}


        @bp.get("/todos/{todo_id:int}", name="todo")
        def todo_get(request: Request, todo_id: int):
            return dispatch_resource(request, Todo, "get", todo_id=todo_id)
        """)
    assert [(f.symbol, f.status) for f in findings] == [("Todo.get", Status.converted)]


def test_a_dispatched_resource_gets_a_function_per_set_of_path_parameters() -> None:
    before = """
    from flask_restful import Api

    api = Api(bp)


    class Todos(OwnResource):
        def get(self, todo_id=None):
            return {}


    api.add_resource(Todos, "/todos", "/todos/<int:todo_id>")
    """
    code, _, _ = convert(dedent(before), RULES)
    assert (
        'def todos_get(request: Request):\n    return dispatch_resource(request, Todos, "get")'
        in code
    )
    dispatched = 'return dispatch_resource(request, Todos, "get", todo_id=todo_id)'
    assert f"def todos_get_2(request: Request, todo_id: int):\n    {dispatched}" in code


def test_a_dispatched_method_checking_a_permission_is_partial() -> None:
    before = """
    from flask_restful import Api

    api = Api(bp)


    class Domains(OwnResource):
        def put(self, domain_id):
            if not StrictRolePermission().can():
                return {"message": "no"}, 403
            return {}


    api.add_resource(Domains, "/domains/<int:domain_id>")
    """
    _, findings, _ = convert(dedent(before), RULES)
    assert [(f.symbol, f.status) for f in findings] == [("Domains.put", Status.partial)]
    assert "Flask-Principal permission" in findings[0].reasons[0]


def test_a_permission_is_no_reason_once_the_package_registers_its_principal(
    tmp_path: Path,
) -> None:
    # lemur: principal = Principal(use_sessions=False) in extensions.py, init_app in the factory
    from codemods.flask.analysis import FlaskAnalysis

    (tmp_path / "extensions.py").write_text("principal = Principal(use_sessions=False)\n")
    (tmp_path / "factory.py").write_text("def create_app():\n    principal.init_app(app)\n")
    analysis = FlaskAnalysis(root=tmp_path, files=sorted(tmp_path.glob("*.py")))
    before = """
    from flask_restful import Api

    api = Api(bp)


    class Domains(OwnResource):
        def put(self, domain_id):
            if not StrictRolePermission().can():
                return {"message": "no"}, 403
            return {}


    api.add_resource(Domains, "/domains/<int:domain_id>")
    """
    _, findings, _ = convert(dedent(before), RULES, analysis=analysis)
    assert [(f.symbol, f.status, f.reasons) for f in findings] == [
        ("Domains.put", Status.converted, [])
    ]


def test_one_view_under_two_rules_and_endpoints_keeps_both() -> None:
    before = """
    bp = Blueprint("pages", __name__)


    def page():
        return "page"


    bp.add_url_rule("/", "index", page)
    bp.add_url_rule("/page", view_func=page, endpoint="page")
    """
    code, findings, _ = convert(dedent(before), RULES)
    assert '@bp.get("/", name="pages.index")\n@bp.get("/page", name="pages.page")\ndef page():' in (
        code
    )
    assert [f.symbol for f in findings] == ["page", "page"]


FACTORY = """\
from flask import Flask

from . import api


def create_app():
    app = Flask(__name__)
    # the API
    app.add_url_rule("/api/tags", "tags", api.tags, methods=["GET"])
    app.add_url_rule("/api/tags/<tag>", view_func=api.TagAPI.as_view("tag"))
    return app
"""

API = """\
from flask.views import MethodView


def tags():
    return []


class TagAPI(MethodView):
    def get(self, tag):
        return {}
"""


def converted(module: str) -> str:
    from codemods.flask.analysis import FlaskAnalysis
    from codemods.flask.route_discovery import discover_sources

    sources: dict[tuple[str, ...], str] = {("__init__.py",): FACTORY, ("api.py",): API}
    analysis = FlaskAnalysis(given_routes=discover_sources(sources))
    code, _, _ = convert(sources[(module,)], RULES, module_path=(module,), analysis=analysis)
    return code


def test_views_an_app_factory_registers_from_another_module_go_on_a_module_router() -> None:
    assert converted("api.py") == dedent("""\
        from flask.views import MethodView
        from fastapi import APIRouter
        from codemods.runtime.flask.compat import FlaskRoute

        flask_app_routes = APIRouter(route_class=FlaskRoute)


        @flask_app_routes.get("/api/tags", name="tags")
        def tags():
            return []




        @flask_app_routes.get("/api/tags/{tag}", name="tag")
        def tag_api_get(tag: str):
            return {}
        """)


def test_the_factory_includes_that_router_where_it_registered_the_first_view() -> None:
    assert converted("__init__.py") == dedent("""\
        from flask import Flask

        from . import api


        def create_app():
            app = Flask(__name__)
            # the API
            app.register_blueprint(api.flask_app_routes)
            return app
        """)


def test_methods_of_an_as_view_rule_route_only_those_methods_of_the_class() -> None:
    before = """
    class ItemAPI(MethodView):
        def get(self):
            return "one"

        def post(self):
            return "made"


    bp.add_url_rule("/items", view_func=ItemAPI.as_view("items"), methods=["GET"])
    """
    code, findings, _ = convert(dedent(before), RULES)
    assert '@bp.get("/items", name="items")\ndef item_api_get():' in code
    assert "\ndef item_api_post():" in code and "@bp.post" not in code
    assert [f.symbol for f in findings] == ["ItemAPI.get"]


def test_api_url_for_a_dispatched_resource_becomes_resource_url_and_api_goes() -> None:
    before = """
    from flask_restful import Api

    api = Api(bp)


    class Google(OwnResource):
        def post(self):
            return {}


    class Providers(OwnResource):
        def get(self):
            return {"url": api.url_for(Google)}


    api.add_resource(Google, "/auth/google", endpoint="google")
    api.add_resource(Providers, "/auth/providers")
    """
    code, _, _ = convert(dedent(before), RULES)
    assert 'return {"url": resource_url("google")}' in code
    assert "from codemods.runtime.flask.restful import dispatch_resource, resource_url" in code
    assert "api = Api(bp)" not in code
