"""The corpus fixture's own parts, offline: the cache location, sdist lookup, tree digests,
matching report entries to url_map rules, and the strangler.toml written for flaskr."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.corpus.flaskr_site import write_config
from tests.support import corpus
from tests.support.corpus_report import Figures, Rule, names_around, registrations, uncovered


def test_the_cache_is_outside_the_repository_and_overridable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("STRANGLER_CORPUS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert corpus.cache_root() == tmp_path / "xdg" / "strangler-corpus"
    monkeypatch.setenv("STRANGLER_CORPUS_CACHE", str(tmp_path / "mine"))
    assert corpus.cache_root() == tmp_path / "mine"


def test_an_sdist_already_downloaded_is_found_whatever_its_name_spelling(tmp_path: Path) -> None:
    (tmp_path / "flask_monitoringdashboard-5.1.0.tar.gz").write_bytes(b"")
    found = corpus.download_sdist("flask-monitoringdashboard==5.1.0", tmp_path)
    assert found.name == "flask_monitoringdashboard-5.1.0.tar.gz"


def test_a_venv_reinstalls_when_its_app_gets_extras_or_requirements() -> None:
    """The key a venv's last install wrote: an app given extras or requirements after its venv
    was built no longer matches it, so its next use installs them."""
    plain = corpus.App(name="a", version="1", source="a", build="")
    with_extra = corpus.App(name="a", version="1", source="a", build="", extras=("x",))
    with_requirement = corpus.App(name="a", version="1", source="a", build="", requirements=("b",))
    keys = {corpus._runtime_key(app) for app in (plain, with_extra, with_requirement)}
    assert len(keys) == 3
    assert corpus._runtime_key(plain) == " ".join(corpus.RUNTIME_REQUIREMENTS)


def test_the_tree_digest_changes_with_any_byte_or_new_file(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    before = corpus.tree_digest(tmp_path)
    assert corpus.tree_digest(tmp_path) == before
    (tmp_path / "a.py").write_text("x = 2\n")
    changed = corpus.tree_digest(tmp_path)
    assert changed != before
    (tmp_path / "__pycache__").mkdir()
    assert corpus.tree_digest(tmp_path) != changed


def test_a_report_entry_covers_the_view_at_its_line_or_the_class_around_it(tmp_path: Path) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "views.py").write_text(
        textwrap.dedent(
            """\
            @bp.route("/")
            def index():
                return ""

            class Items(MethodView):
                def get(self):
                    return ""
            """
        )
    )
    assert names_around(package / "views.py", 6) == {"Items", "get"}
    rules = [
        Rule("/", "bp.index", ("GET",), "app.views", "index"),
        Rule("/items", "items", ("GET",), "app.views", "Items"),
        Rule("/other", "other", ("GET",), "app.other", "other"),
    ]
    entries = [
        {"kind": "route", "source": "app/views.py:2"},
        {"kind": "route", "source": "app/views.py:6"},
        {"kind": "module", "source": "app/other.py:1"},
    ]
    assert uncovered(rules, entries, tmp_path) == [rules[2]]


def test_figures_count_route_entries_and_read_verified_when_present() -> None:
    entries = [
        {"kind": "route", "status": "converted", "verified": True},
        {"kind": "route", "status": "converted", "verified": False},
        {"kind": "route", "status": "partial", "verified": None},
        {"kind": "form", "status": "converted", "verified": None},
    ]
    rules = [Rule("/", "index", ("GET",), "app", "index")] * 2
    figures = Figures.of("app-1", rules, 1, entries)
    assert (figures.url_map, figures.reported, figures.routes) == (2, 1, 3)
    assert (figures.converted, figures.verified, figures.partial) == (2, 1, 1)
    assert round(figures.percent_converted) == 33
    unverified = Figures.of("app-1", rules, 0, [{"kind": "route", "status": "converted"}])
    assert unverified.verified is None
    assert unverified.percent_converted == 100.0


def test_the_flaskr_config_lists_every_route_new_only_for_the_new_side(tmp_path: Path) -> None:
    legacy = write_config(tmp_path, "legacy").read_text()
    assert "[migrated]" not in legacy
    new = write_config(tmp_path, "new").read_text()
    assert 'app = "flaskr_new:create_app"' in new
    assert 'path = "/{id:int}/update"' in new
    assert new.count('mode = "new"') == 8


def test_registrations_are_read_from_decorators_add_url_rule_and_add_resource(
    tmp_path: Path,
) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text(
        textwrap.dedent(
            """\
            from . import views

            def create_app():
                app.add_url_rule("/a", "a", views.plain)
                app.add_url_rule("/b", view_func=views.Items.as_view("items"))
                api.add_resource(views.Thing, "/thing")
            """
        )
    )
    (package / "views.py").write_text(
        textwrap.dedent(
            """\
            @bp.route("/")
            def index(): ...

            def plain(): ...

            class Items(MethodView): ...

            class Thing(Resource): ...

            class Admin(BaseView):
                @expose("/")
                def home(self): ...

            def helper(): ...
            """
        )
    )
    found = {(rule.module, rule.name) for rule in registrations(tmp_path, "app")}
    assert found == {("app.views", name) for name in ("index", "plain", "Items", "Thing", "home")}
