"""Where verification finds the two apps: `--app` as `flask --app` takes it, the package's own
app or factory, the generated twin, else a harness of the generated routers."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from flask import Blueprint, Flask

from codemods.engine.verify import locate, sandbox
from codemods.engine.verify.check import sandboxed_spec
from codemods.flask.verify_harness import harness, prefix
from codemods.flask.verify_legacy import candidates, load, rules, url


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in set(sys.modules) - before:
        del sys.modules[name]


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_an_app_spec_splits_like_flask_s() -> None:
    assert locate.split("pkg.web:create_app('x')") == ("pkg.web", "create_app('x')")
    assert locate.split("pkg.web") == ("pkg.web", None)
    assert locate.split("C:\\app\\wsgi.py") == ("C:\\app\\wsgi.py", None)


def test_a_factory_is_called_with_literal_arguments(importable: Path) -> None:
    write(importable, {"factorymod.py": "def make(name, debug=False):\n    return (name, debug)\n"})
    module = locate.import_target("factorymod")
    assert locate.evaluate(module, "make('x', debug=True)") == ("x", True)
    with pytest.raises(locate.NotLocated):
        locate.evaluate(module, "make(open('f'))")


def test_the_package_s_module_holding_an_app_is_found_and_is_the_twin_s_place(
    importable: Path,
) -> None:
    write(
        importable,
        {
            "webpkg/__init__.py": "",
            "webpkg/helpers.py": "X = 1\n",
            "webpkg/web.py": "from flask import Flask\napp = Flask(__name__)\n",
        },
    )
    assert candidates("webpkg", importable / "webpkg") == ["webpkg", "webpkg.web"]
    app, origin = load("webpkg", None, str(importable / "webpkg"))
    assert isinstance(app, Flask)
    assert origin == {"module": "web", "name": "app"}


def test_a_factory_with_no_argument_is_called(importable: Path) -> None:
    write(
        importable,
        {
            "factpkg/__init__.py": """
                from flask import Flask

                def create_app(test_config=None):
                    return Flask(__name__)
            """
        },
    )
    _, origin = load("factpkg", None, str(importable / "factpkg"))
    assert origin == {"module": "", "name": "create_app()"}


def test_a_build_file_importing_the_package_s_app_names_its_module(importable: Path) -> None:
    write(
        importable,
        {
            "browsepkg/__init__.py": "",
            "browsepkg/browse.py": "from flask import Flask\napp = Flask(__name__)\nready = []\n",
            "build/setup_app.py": "from browsepkg.browse import app, ready\nready.append(1)\n",
        },
    )
    spec = f"{importable / 'build' / 'setup_app.py'}:app"
    app, origin = load("browsepkg", spec, None)
    assert isinstance(app, Flask)
    assert origin == {"module": "browse", "name": "app"}


def test_a_host_app_outside_the_package_has_no_twin(importable: Path) -> None:
    write(
        importable,
        {
            "extpkg/__init__.py": "",
            "host.py": "from flask import Flask\napp = Flask('host')\n",
        },
    )
    _, origin = load("extpkg", "host:app", None)
    assert origin == {"module": None, "name": "app"}


def test_no_app_anywhere_says_to_name_it(importable: Path) -> None:
    write(importable, {"emptypkg/__init__.py": ""})
    with pytest.raises(LookupError, match="--app"):
        load("emptypkg", None, str(importable / "emptypkg"))


def test_a_file_in_the_legacy_tree_is_given_as_its_module_so_the_copy_is_used(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shop"
    (root / "web").mkdir(parents=True)
    spec = sandboxed_spec(str(root / "web" / "wsgi.py") + ":app", root, "shop")
    assert spec == "shop.web.wsgi:app"
    outside = tmp_path / "build.py"
    assert sandboxed_spec(f"{outside}:app", root, "shop") == f"{outside}:app"
    assert sandboxed_spec("shop.web:create_app()", root, "shop") == "shop.web:create_app()"


def test_a_subpackage_s_sandbox_holds_its_whole_top_level_package(tmp_path: Path) -> None:
    write(tmp_path, {"lek/__init__.py": "", "lek/builder.py": "", "lek/admin/__init__.py": ""})
    box = sandbox.create(tmp_path / "lek" / "admin", "lek.admin", parent=tmp_path)
    try:
        assert (box.legacy_path / "lek" / "builder.py").is_file()
        assert (box.legacy_path / "lek" / "admin" / "__init__.py").is_file()
        assert box.folder / "work" in box.state
    finally:
        sandbox.remove(box)


def legacy_dashboard() -> Flask:
    blueprint = Blueprint("dashboard", __name__)
    blueprint.add_url_rule("/login", "login", lambda: "")
    blueprint.add_url_rule("/api/users/<int:user_id>", "user", lambda user_id: "")
    app = Flask(__name__)
    app.register_blueprint(blueprint, url_prefix="/dashboard")
    return app


def test_the_harness_includes_a_router_at_the_prefix_its_blueprint_has_on_legacy() -> None:
    router = APIRouter()
    router.add_api_route("/login", lambda: "", name="login")
    router.add_api_route("/api/users/{user_id:int}", lambda user_id: "", name="user")
    assert prefix(router, rules(legacy_dashboard())) == "/dashboard"


def test_the_harness_app_carries_what_the_host_set_on_its_app() -> None:
    # lektor's WebUI(Flask) sets self.lektor_info, read by the library as current_app.lektor_info
    class Host(Flask):
        def __init__(self) -> None:
            super().__init__("host")
            self.lektor_info = "info"

    module = type(sys)("generated_views")
    module.router = APIRouter()  # type: ignore[attr-defined]
    module.router.add_api_route("/x", lambda: "", name="x")
    app = harness([module], Host())
    assert app.lektor_info == "info"
    assert not isinstance(getattr(app, "config", None), dict)  # Flask's own stay Flask's


def test_a_route_named_without_its_blueprint_finds_its_legacy_url() -> None:
    app = legacy_dashboard()
    assert url(app, "user", "GET", "/api/users/{user_id:int}") == "/dashboard/api/users/1"
