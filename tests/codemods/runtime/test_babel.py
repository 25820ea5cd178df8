"""flask-babel's twin: the app's catalogs translate its templates and modules as flask-babel
does, for the locale its selector picks on each request. The legacy side is Flask with the same
catalog installed in Jinja as flask-babel installs it (flask-babel itself is not a dependency)."""

from __future__ import annotations

import gettext as stdlib_gettext
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from flask import Flask, render_template
from starlette.responses import PlainTextResponse, Response

from codemods.runtime.flask import babel as runtime
from codemods.runtime.flask.compat import FlaskRoute
from codemods.runtime.flask.context import FlaskConfig, app_context, current_request
from codemods.runtime.flask.templates import flask_templates

FRENCH = {"Hello %(name)s": "Bonjour %(name)s", "Goodbye": "Au revoir", "Name": "Nom"}
PLURALS = ("%(num)d apple", "%(num)d apples", ["%(num)d pomme", "%(num)d pommes"])
PAGE = (
    '{{ _("Hello %(name)s", name="<Ann>") }}|{% trans %}Goodbye{% endtrans %}'
    "|{{ ngettext('%(num)d apple', '%(num)d apples', 3) }}|{{ gettext('Untranslated') }}"
)


def write_mo(path: Path, messages: dict[str, str], plural: tuple[str, str, list[str]]) -> None:
    """A compiled gettext catalog (what `pybabel compile` writes), French plural rule."""
    one, many, forms = plural
    catalog = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; "
               "plural=(n > 1);\n", **messages, f"{one}\0{many}": "\0".join(forms)}  # fmt: skip
    keys = sorted(catalog)
    ids, strs = b"", b""
    offsets = []
    for key in keys:
        key_bytes, value_bytes = key.encode(), catalog[key].encode()
        offsets.append((len(ids), len(key_bytes), len(strs), len(value_bytes)))
        ids += key_bytes + b"\0"
        strs += value_bytes + b"\0"
    start = 7 * 4 + 16 * len(keys)
    key_table = b"".join(struct.pack("<2I", n, start + o) for o, n, _, _ in offsets)
    value_table = b"".join(struct.pack("<2I", n, start + len(ids) + o) for _, _, o, n in offsets)
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + key_table + value_table + ids + strs)


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    folder = tmp_path / "babel_pkg"
    (folder / "templates").mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "templates" / "page.html").write_text(PAGE)
    write_mo(folder / "translations" / "fr" / "LC_MESSAGES" / "messages.mo", FRENCH, PLURALS)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "babel_pkg"
    sys.modules.pop("babel_pkg", None)


def legacy_page(package: str, locale: str) -> str:
    """Flask rendering with the catalog installed as flask-babel installs it."""
    app = Flask(package)
    translations = stdlib_gettext.translation(
        "messages", str(Path(app.root_path) / "translations"), [locale], fallback=True
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    with app.test_request_context():
        return render_template("page.html")


def migrated_app(package: str, select: bool = True, **config: str) -> FastAPI:
    app = FastAPI()
    app.router.route_class = FlaskRoute
    app.state.root_path = str(Path(sys.modules[package].__file__ or "").parent)
    app.state.config = FlaskConfig(app.state.root_path, config)
    templates = flask_templates(package)

    def get_locale() -> str | None:
        return current_request().query_params.get("lang")

    runtime.Babel(app, locale_selector=get_locale if select else None)

    @app.get("/page")
    def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", {})

    @app.get("/text")
    def text(request: Request) -> Response:
        label = runtime.lazy_gettext("Name")
        return PlainTextResponse(f"{runtime.gettext('Goodbye')}|{label}|{runtime._('Other')}")

    return app


def test_templates_translate_as_flask_babel_for_the_selected_locale(package: str) -> None:
    __import__(package)
    expected = legacy_page(package, "fr")
    assert expected.startswith("Bonjour &lt;Ann&gt;|Au revoir|3 pommes|Untranslated")
    assert TestClient(migrated_app(package)).get("/page?lang=fr").text == expected


def test_without_a_selection_the_default_locale_s_text_is_shown(package: str) -> None:
    __import__(package)
    expected = legacy_page(package, "en")
    assert expected.startswith("Hello &lt;Ann&gt;|Goodbye|3 apples")
    assert TestClient(migrated_app(package)).get("/page").text == expected


def test_the_default_locale_comes_from_the_config(package: str) -> None:
    __import__(package)
    app = migrated_app(package, BABEL_DEFAULT_LOCALE="fr")
    assert TestClient(app).get("/page").text == legacy_page(package, "fr")


def test_a_locale_without_a_catalog_shows_the_text_untranslated(package: str) -> None:
    __import__(package)
    assert TestClient(migrated_app(package)).get("/page?lang=de").text == legacy_page(package, "de")


def test_module_gettext_and_lazy_gettext_follow_the_request_s_locale(package: str) -> None:
    __import__(package)
    client = TestClient(migrated_app(package))
    assert client.get("/text?lang=fr").text == "Au revoir|Nom|Other"
    assert client.get("/text").text == "Goodbye|Name|Other"


def test_outside_a_request_text_is_untranslated_and_formatted() -> None:
    assert runtime.gettext("Hi %(name)s", name="Ann") == "Hi Ann"
    assert runtime.ngettext("%(num)d apple", "%(num)d apples", 2) == "2 apples"
    assert str(runtime.lazy_gettext("Name")) == "Name"


def test_start_up_code_translates_with_the_default_locale(package: str) -> None:
    __import__(package)
    app = migrated_app(package, select=False, BABEL_DEFAULT_LOCALE="fr")
    with app_context(app):
        assert runtime.gettext("Goodbye") == "Au revoir"
        assert runtime.get_locale() == "fr"


def test_init_app_sets_up_a_babel_made_without_an_app(package: str) -> None:
    __import__(package)
    app = FastAPI()
    app.state.root_path = str(Path(sys.modules[package].__file__ or "").parent)
    app.state.config = FlaskConfig(app.state.root_path)
    extension = runtime.Babel()
    runtime.init_babel(extension, app, locale_selector=lambda: "fr")
    with app_context(app):
        assert runtime.gettext("Hello %(name)s", name="Ann") == "Bonjour Ann"
