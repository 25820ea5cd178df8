"""The routes rule: Flask route decorators -> FastAPI routes (before/after)."""

from pathlib import Path

from codemods.engine.findings import Status
from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.rules.routes import RoutesRule
from tests.codemods.support import assert_codemod, convert


def test_a_route_becomes_one_decorator_per_method_named_like_the_flask_endpoint() -> None:
    findings = assert_codemod(
        """
        bp = Blueprint("catalog", __name__)

        @bp.route("/items", methods=["GET", "POST"])
        def items():
            return "x"
        """,
        """
        bp = Blueprint("catalog", __name__)

        @bp.get("/items", name="catalog.items")
        @bp.post("/items", name="catalog.items")
        def items():
            return "x"
        """,
        [RoutesRule],
    )
    assert [(f.kind, f.status) for f in findings] == [("route", Status.converted)] * 2


def test_int_converter_goes_in_the_path_so_a_mismatch_is_404_not_422() -> None:
    assert_codemod(
        """
        @app.route("/p/<int:pid>")
        def show(pid):
            return "x"
        """,
        """
        @app.get("/p/{pid:int}", name="show")
        def show(pid: int):
            return "x"
        """,
        [RoutesRule],
    )


def test_float_converter_keeps_werkzeugs_required_dot() -> None:
    code, _, _ = convert(
        """
        @app.route("/at/<float:x>")
        def at(x):
            return "x"
        """,
        [RoutesRule],
    )
    assert '@app.get("/at/{x:flask_float}"' in code
    assert "def at(x: float):" in code


def test_any_converter_registers_a_convertor_before_the_routes() -> None:
    code, _, _ = convert(
        """
        @app.route("/<any(about,help):page>")
        def page(page):
            return "x"
        """,
        [RoutesRule],
    )
    assert 'any_of("about", "help")\n' in code
    assert code.index("any_of(") < code.index("@app.get")
    assert "{page:any_about_help}" in code
    assert "from codemods.runtime.flask.compat import any_of" in code


def test_uuid_and_path_converters() -> None:
    code, _, _ = convert(
        """
        @app.route("/u/<uuid:u>/<path:rest>")
        def files(u, rest):
            return "x"
        """,
        [RoutesRule],
    )
    assert "/u/{u:uuid}/{rest:path}" in code
    assert "def files(u: UUID, rest: str):" in code
    assert "from uuid import UUID" in code


def test_static_routes_come_before_dynamic_ones_like_werkzeug() -> None:
    code, _, _ = convert(
        """
        @bp.route("/p/<slug>")
        def by_slug(slug):
            return "x"

        @bp.route("/p/<int:pid>")
        def by_id(pid):
            return "x"

        @bp.route("/p/new")
        def new():
            return "x"
        """,
        [RoutesRule],
    )
    assert code.index("def new") < code.index("def by_id") < code.index("def by_slug")


def test_a_view_branching_on_request_method_is_split_per_method() -> None:
    assert_codemod(
        """
        @bp.route("/x", methods=["GET", "POST"])
        def x():
            if request.method == "POST":
                return "posted"
            return "form"
        """,
        """
        @bp.get("/x", name="x")
        def x_get():
            return "form"
        @bp.post("/x", name="x")
        def x_post():
            return "posted"
        """,
        [RoutesRule],
    )


def test_shortcut_decorators_and_explicit_endpoint() -> None:
    code, _, _ = convert(
        """
        bp = Blueprint("api", __name__)

        @bp.delete("/x/<int:i>", endpoint="remove")
        def d(i):
            return "x"
        """,
        [RoutesRule],
    )
    assert '@bp.delete("/x/{i:int}", name="api.remove")' in code


def test_custom_converter_is_manual() -> None:
    _, findings, _ = convert(
        """
        @app.route("/r/<regex('[a-z]+'):w>")
        def r(w):
            return "x"
        """,
        [RoutesRule],
    )
    assert findings[0].status == Status.manual
    assert "custom URL converter" in findings[0].reasons[0]


def test_a_trailing_slash_rule_converts_without_a_note() -> None:
    """The runtime redirects the bare path with Werkzeug's 308 (routing_errors_like_flask)."""
    _, findings, _ = convert(
        """
        @app.route("/list/")
        def listing():
            return "x"
        """,
        [RoutesRule],
    )
    assert findings[0].status == Status.converted
    assert findings[0].reasons == []


def test_a_rule_s_defaults_become_the_view_parameter_s_default() -> None:
    findings = assert_codemod(
        """
        @bp.route("/", defaults={"path": ""})
        @bp.route("/<path:path>")
        def index(path):
            return path
        """,
        """
        @bp.get("/", name="index")
        @bp.get("/{path:path}", name="index")
        def index(path: str = ""):
            return path
        """,
        [RoutesRule],
    )
    assert [f.status for f in findings] == [Status.converted] * 2


def test_defaults_before_a_parameter_without_one_make_the_parameters_keyword_only() -> None:
    assert_codemod(
        """
        @bp.route("/p/", defaults={"page": 1})
        @bp.route("/p/<int:page>/<name>")
        def pages(page, name):
            return name
        """,
        """
        @bp.get("/p/", name="pages")
        @bp.get("/p/{page:int}/{name}", name="pages")
        def pages(*, page: int = 1, name: str):
            return name
        """,
        [RoutesRule],
    )


def test_defaults_for_a_name_the_view_does_not_take_are_still_noted() -> None:
    _, findings, _ = convert(
        """
        @bp.route("/", defaults={"view": "home"})
        def app_view(**kwargs):
            return "x"
        """,
        [RoutesRule],
    )
    assert "route option defaults= is not converted" in findings[0].reasons


def test_a_rule_without_its_leading_slash_is_joined_to_the_prefix_as_flask_joins_it() -> None:
    assert_codemod(
        """
        bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

        @bp.route("api/versions/<int:id>", methods=["POST"])
        def versions(id):
            return "x"
        """,
        """
        bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

        @bp.post("/api/versions/{id:int}", name="dashboard.versions")
        def versions(id: int):
            return "x"
        """,
        [RoutesRule],
    )


def test_a_view_taking_star_kwargs_gets_no_kwargs_query_parameter() -> None:
    code, _, _ = convert(
        """
        bp = Blueprint("dash", __name__, url_prefix="/admin")

        @bp.route("/", endpoint="app_view")
        @bp.route("/<path:view>", endpoint="app")
        def app_view(**kwargs):
            return "x"
        """,
        [RoutesRule],
    )
    assert "def app_view():" in code


def test_a_view_reading_star_kwargs_gets_the_routes_path_parameters() -> None:
    code, _, _ = convert(
        """
        bp = Blueprint("dash", __name__)

        @bp.route("/<name>")
        def show(**kwargs):
            \"\"\"Doc.\"\"\"
            return kwargs["name"]
        """,
        [RoutesRule],
    )
    assert '    """Doc."""\n    kwargs = dict(current_request().path_params)\n' in code
    assert "def show():" in code
    assert "from codemods.runtime.flask.context import current_request" in code


def test_an_app_converter_registered_above_is_registered_and_used_in_the_path() -> None:
    code, findings, _ = convert(
        """
        app = Flask(__name__)
        app.url_map.converters["b64"] = Base64Converter

        @app.route("/<table>/row/<b64:pk>/")
        def row(table, pk):
            return "x"
        """,
        [RoutesRule],
    )
    assert 'register_converter("b64", Base64Converter)' in code
    assert "from codemods.runtime.flask.converters import register_converter" in code
    assert '@app.get("/{table}/row/{pk:b64}/", name="row")' in code
    assert "def row(table: str, pk: Any):" in code
    assert [f.status for f in findings if f.kind == "route"] == [Status.converted]


def test_an_unregistered_custom_converter_is_still_left_for_a_person() -> None:
    _, findings, _ = convert(
        """
        app = Flask(__name__)

        @app.route("/<b64:pk>/")
        def row(pk):
            return "x"
        """,
        [RoutesRule],
    )
    assert [f.status for f in findings if f.kind == "route"] == [Status.manual]


def test_a_converter_another_module_registers_is_registered_before_the_routes_using_it(
    tmp_path: Path,
) -> None:
    # changedetection.io: `app.url_map.converters["uuid_str"] = StrictUUIDConverter` in its app
    # module, `<uuid_str:uuid>` in its blueprints' routes
    (tmp_path / "flask_app.py").write_text(
        "app.url_map.converters['uuid_str'] = StrictUUIDConverter\n"
    )
    (tmp_path / "blueprint").mkdir()
    views = (
        "from flask import Blueprint\n\nbp = Blueprint('prices', __name__)\n\n\n"
        "@bp.route('/<uuid_str:uuid>/accept', methods=['POST'])\ndef accept(uuid):\n"
        "    return uuid\n"
    )
    (tmp_path / "blueprint" / "prices.py").write_text(views)
    analysis = FlaskAnalysis(root=tmp_path, package="app", files=sorted(tmp_path.rglob("*.py")))
    code, findings, _ = convert(
        views, [RoutesRule], module_path=("blueprint", "prices.py"), analysis=analysis
    )
    assert '@bp.post("/{uuid:uuid_str}/accept", name="prices.accept")' in code
    assert "from ..flask_app import StrictUUIDConverter" in code
    assert 'register_converter("uuid_str", StrictUUIDConverter)\n\n\n@bp.post' in code
    assert [f.status for f in findings] == [Status.converted]
