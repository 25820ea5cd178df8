"""Two small Flask apps and their unedited codemod output answer the same, in process:
- a factory that imports its views inside `with app.app_context():`, whose views module reads
  the config at import time, and sets a config value there;
- a flask-babel app: `Babel(app, locale_selector=...)`, templates using `_`, `ngettext` and
  `{% trans %}`, a view using `gettext` and a module-level `lazy_gettext`. flask-babel is not
  installed here, so its legacy answers are Flask's with the same catalog installed in Jinja as
  flask-babel installs it."""

from __future__ import annotations

import gettext as stdlib_gettext
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from flask import Flask, render_template
from typer.testing import CliRunner

from proxy.cli import app as cli
from tests.codemods.runtime.test_babel import FRENCH, PLURALS, write_mo

CONTEXT_FACTORY = """
from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", PAGE_SIZE=3, GREETING="hello")
    if test_config:
        app.config.from_mapping(test_config)
    with app.app_context():
        from . import items

        app.register_blueprint(items.bp)
        app.config["STARTED"] = app.config["GREETING"].upper()
    return app
"""
CONTEXT_VIEWS = """
from flask import Blueprint, current_app, jsonify

bp = Blueprint("items", __name__)
PAGE_SIZE = current_app.config["PAGE_SIZE"]


@bp.route("/items")
def items():
    return jsonify(size=PAGE_SIZE, started=current_app.config["STARTED"])
"""
BABEL_FACTORY = """
from flask import Flask, request
from flask_babel import Babel


def get_locale():
    return request.args.get("lang")


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config:
        app.config.from_mapping(test_config)
    Babel(app, locale_selector=get_locale)
    from . import pages

    app.register_blueprint(pages.bp)
    return app
"""
BABEL_VIEWS = """
from flask import Blueprint, render_template
from flask_babel import gettext as _, lazy_gettext as _l

bp = Blueprint("pages", __name__)
TITLE = _l("Goodbye")


@bp.route("/")
def index():
    return render_template("index.html", title=TITLE)


@bp.route("/text")
def text():
    return _("Hello %(name)s", name="Ann") + "|" + str(TITLE)
"""
BABEL_PAGE = (
    '{{ _("Hello %(name)s", name="<Ann>") }}|{{ title }}'
    '|{{ ngettext("%(num)d apple", "%(num)d apples", 3) }}|{% trans %}Goodbye{% endtrans %}'
)


def converted(tmp_path: Path, package: str, files: dict[str, str]) -> list[dict[str, Any]]:
    """Write the legacy package, run `strangler codemod flask` on it; the report's entries."""
    legacy = tmp_path / package
    for name, text in files.items():
        (legacy / name).parent.mkdir(parents=True, exist_ok=True)
        (legacy / name).write_text(text)
    report = tmp_path / "report.json"
    out = tmp_path / f"{package}_migrated"
    result = CliRunner().invoke(
        cli, ["codemod", "flask", str(legacy), "--out", str(out), "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(report.read_text())
    return entries


@pytest.fixture
def importable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith(("envctx_app", "envbabel_app"))]:
        del sys.modules[name]


def test_a_factory_s_app_context_block_runs_on_the_new_side(importable: Path) -> None:
    files = {"__init__.py": CONTEXT_FACTORY, "items.py": CONTEXT_VIEWS}
    entries = converted(importable, "envctx_app", files)
    routes = [e for e in entries if e["kind"] == "route"]
    assert [(e["status"], e["verified"]) for e in routes] == [("converted", True)]
    from envctx_app import create_app as create_legacy
    from envctx_app_migrated import create_app

    config = {"PAGE_SIZE": 7}
    expected = create_legacy(config).test_client().get("/items")
    got = TestClient(create_app(config)).get("/items")
    assert expected.json == {"size": 7, "started": "HELLO"}
    assert (got.status_code, got.json()) == (expected.status_code, expected.json)


def flask_babel_page(package: str, locale: str) -> str:
    """What flask-babel renders: Flask's Jinja with the app's catalog, new-style gettext."""
    app = Flask(package)
    translations = stdlib_gettext.translation(
        "messages", str(Path(app.root_path) / "translations"), [locale], fallback=True
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    with app.test_request_context():
        return render_template("index.html", title=translations.gettext("Goodbye"))


def test_a_flask_babel_app_translates_the_same_on_the_new_side(importable: Path) -> None:
    files = {
        "__init__.py": BABEL_FACTORY,
        "pages.py": BABEL_VIEWS,
        "templates/index.html": BABEL_PAGE,
    }
    write_mo(
        importable / "envbabel_app" / "translations" / "fr" / "LC_MESSAGES" / "messages.mo",
        FRENCH,
        PLURALS,
    )
    entries = converted(importable, "envbabel_app", files)
    reasons = [r for e in entries for r in e["reasons"] if "flask_babel" not in r]
    assert reasons == []  # the legacy side cannot import flask-babel here: nothing else
    from envbabel_app_migrated import create_app

    client = TestClient(create_app())
    french = flask_babel_page("envbabel_app", "fr")
    assert french == "Bonjour &lt;Ann&gt;|Au revoir|3 pommes|Au revoir"
    assert client.get("/?lang=fr").text == french
    assert client.get("/").text == flask_babel_page("envbabel_app", "en")
    assert client.get("/text?lang=fr").text == "Bonjour Ann|Au revoir"
    assert client.get("/text").text == "Hello Ann|Goodbye"
