"""The route discovery: every registration of a package that names its view elsewhere, read
from the text of all its modules (codemods/flask/route_discovery.py)."""

from textwrap import dedent

from codemods.flask.route_discovery import Registration, discover_sources


def found(**modules: str) -> list[Registration]:
    sources = {tuple(name.split("/")): dedent(text) for name, text in modules.items()}
    return discover_sources(sources, ("shop",)).registrations


API = """
from flask.views import MethodView


def tags():
    return []


class BookmarkAPI(MethodView):
    def get(self, index):
        return {}

    def delete(self, index):
        return "", 204


tiny = decorate(lambda index: "gone")
"""


def test_add_url_rule_in_a_factory_names_a_view_of_another_module() -> None:
    server = """
    from flask import Flask
    from . import api

    def create_app():
        app = Flask(__name__)
        app.add_url_rule("/api/tags", "all_tags", api.tags, methods=["GET"])
        app.add_url_rule("/api/b/<int:index>", view_func=api.BookmarkAPI.as_view("bookmark"))
        return app
    """
    tags, bookmark = found(**{"api.py": API, "server.py": server})
    assert (tags.how, tags.module, tags.scope, tags.router) == (
        "add_url_rule",
        ("server.py",),
        "create_app",
        "app",
    )
    assert (tags.rule, tags.endpoint, tags.methods) == ("/api/tags", "all_tags", ("GET",))
    assert (tags.view.module, tags.view.name, tags.view.kind) == (("api.py",), "tags", "function")
    assert (bookmark.endpoint, bookmark.view.name, bookmark.view.class_methods) == (
        "bookmark",
        "BookmarkAPI",
        ("get", "delete"),
    )
    assert not tags.converted_in_place and not bookmark.converted_in_place


def test_a_module_level_add_url_rule_beside_its_view_is_converted_in_place() -> None:
    views = API + '\nbp.add_url_rule("/b/<int:index>", view_func=BookmarkAPI.as_view("b"))\n'
    (registration,) = found(**{"views.py": views})
    assert registration.converted_in_place


def test_an_absolute_import_of_the_package_finds_the_view() -> None:
    server = "import shop.api as api\n\napi_routes = app.add_url_rule('/t', view_func=api.tags)\n"
    (registration,) = found(**{"api.py": API, "server.py": server})
    assert registration.view.name == "tags"


def test_a_view_bound_by_an_assignment_is_found_at_its_line() -> None:
    server = "from .api import tiny\n\napp.add_url_rule('/tiny/<int:index>', 'tiny', tiny)\n"
    (registration,) = found(**{"api.py": API, "server.py": server})
    assert (registration.view.kind, registration.view.line) == ("assigned", 17)


def test_a_helper_registering_its_parameters_is_followed_to_its_call_sites() -> None:
    helpers = """
    def register_view(bp, routes, view_func, methods=("GET",)):
        for route in routes:
            bp.add_url_rule(route, view_func=view_func, methods=methods)
    """
    views = """
    from .helpers import register_view
    from .api import BookmarkAPI

    def load_blueprints(app):
        register_view(bp, routes=["/b/<int:index>", "/bm/<int:index>"],
                      view_func=BookmarkAPI.as_view("bookmark"))
    """
    first, second = found(**{"api.py": API, "helpers.py": helpers, "views.py": views})
    assert (first.rule, second.rule) == ("/b/<int:index>", "/bm/<int:index>")
    assert (first.helper, first.module, first.scope) == (
        "register_view",
        ("views.py",),
        "load_blueprints",
    )
    assert (first.view.name, first.endpoint, first.methods) == ("BookmarkAPI", "bookmark", ("GET",))


def test_route_called_on_a_view_is_a_registration() -> None:
    source = API + "\nbp.route('/tags')(tags)\n"
    (registration,) = found(**{"api.py": source})
    assert (registration.how, registration.rule, registration.view.name) == (
        "route",
        "/tags",
        "tags",
    )


def test_flask_restful_add_resource_gives_one_registration_per_url() -> None:
    views = """
    from flask_restful import Api, Resource

    api = Api(bp)

    class Users(Resource):
        def get(self, user_id):
            return {}

        def put(self, user_id):
            return {}

    api.add_resource(Users, "/users/<int:user_id>", "/u/<int:user_id>", endpoint="user")
    """
    first, second = found(**{"users/views.py": views})
    assert (first.how, first.rule, second.rule) == (
        "add_resource",
        "/users/<int:user_id>",
        "/u/<int:user_id>",
    )
    assert (first.endpoint, first.view.class_methods) == ("user", ("get", "put"))


def test_flask_admin_expose_methods_and_exposed_functions_are_found() -> None:
    views = """
    from flask_admin import BaseView, expose

    def last_page(self):
        return "last"

    class Stats(BaseView):
        @expose("/", methods=("GET", "POST"))
        def index(self):
            return "stats"

        last_page = expose("/last-page")(last_page)
    """
    index, last = found(**{"views.py": views})
    assert (index.how, index.symbol, index.rule, index.methods) == (
        "expose",
        "Stats.index",
        "/",
        ("GET", "POST"),
    )
    assert (last.symbol, last.view.line, last.methods) == ("last_page", 4, ("GET",))


def test_an_alias_without_a_view_is_not_a_registration() -> None:
    assert found(**{"app.py": 'app.add_url_rule("/", endpoint="index")\n'}) == []


PLAIN = """
from flask_restful import Api, Resource

api = Api(bp)

class Todo(Resource):
    def get(self, todo_id):
        return {}

api.add_resource(Todo, "/todos/<int:todo_id>")
"""


def test_a_plain_resource_on_a_module_api_is_converted_in_place() -> None:
    (registration,) = found(**{"views.py": PLAIN})
    assert registration.converted_in_place


def test_a_resource_of_a_module_using_reqparse_is_converted_by_dispatch() -> None:
    source = PLAIN.replace("Api, Resource", "Api, Resource, reqparse")
    (registration,) = found(**{"views.py": source})
    assert not registration.plain_api
    assert registration.converted_in_place


def test_a_resource_added_inside_a_function_is_not_converted() -> None:
    lines = PLAIN.splitlines()
    last = next(i for i, line in enumerate(lines) if "add_resource" in line)
    lines[last] = "def register():\n    " + lines[last]
    (registration,) = found(**{"views.py": "\n".join(lines) + "\n"})
    assert not registration.converted_in_place


def test_a_lambda_registered_inline_is_found_at_its_line() -> None:
    factory = 'def create_app():\n    app.add_url_rule("/ping", "ping", lambda: "pong")\n'
    (registration,) = found(**{"app.py": factory})
    assert (registration.view.name, registration.view.line) == ("<lambda>", 2)


FACTORY = """
from flask import Flask, Blueprint
from . import api
from .api import tags

def create_app():
    app = Flask(__name__)
    bp = Blueprint("b", __name__)
    app.add_url_rule("/a", "a", api.tags, methods=["GET"])
    app.add_url_rule("/b", view_func=api.BookmarkAPI.as_view("b"))
    app.add_url_rule("/c", "c", api.tags, defaults={"page": 1})
    bp.add_url_rule("/d", "d", api.tags)
    app.add_url_rule("/e", "e", tags)
    return app
"""


def test_an_app_registration_naming_module_view_converts_on_the_module_router() -> None:
    registrations = found(**{"api.py": API, "server.py": FACTORY})
    on_router = {r.rule: r.converted_on_module_router for r in registrations}
    assert on_router == {"/a": True, "/b": True, "/c": False, "/d": False, "/e": False}
    assert registrations[1].via_alias == ("api", "api.BookmarkAPI")


def test_nested_blueprints_know_their_parents_outermost_first() -> None:
    child = 'from flask import Blueprint\n\nleaf = Blueprint("leaf", __name__)\n'
    parents = """
    from flask import Blueprint
    from .child import leaf

    api = Blueprint("api", __name__)
    v1 = Blueprint("v1", __name__)
    v1.register_blueprint(leaf, url_prefix="/leaf")
    api.register_blueprint(v1, url_prefix="/v1")
    """
    discovery = discover_sources({("child.py",): child, ("api.py",): dedent(parents)})
    assert discovery.parents_of(("child.py",), "leaf") == ("api", "v1")
    assert discovery.parents_of(("api.py",), "v1") == ("api",)


def test_a_package_s_own_binding_wins_over_its_submodule_of_the_same_name() -> None:
    # changedetection.io: api/Tags.py defines Tags, api/__init__.py imports it, and the app
    # imports `Tags` from the package: the class, not the module
    modules = {
        "api/__init__.py": "from .Tags import Tags\n",
        "api/Tags.py": (
            "from flask_restful import Resource\n\n\n"
            "class Tags(Resource):\n    def get(self):\n        return []\n"
        ),
        "app.py": (
            "from flask_restful import Api\nfrom shop.api import Tags\n\napi = Api(app)\n\n\n"
            "def create_app():\n    api.add_resource(Tags, '/api/v1/tags')\n"
        ),
    }
    (registration,) = found(**modules)
    assert (registration.rule, registration.view.module, registration.view.name) == (
        "/api/v1/tags",
        ("api", "Tags.py"),
        "Tags",
    )
