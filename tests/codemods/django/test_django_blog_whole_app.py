"""`strangler codemod django legacy_examples/django_blog`: every url pattern reported, the output
imports, `create_app()` builds, its JSON routes answer as Django does on one database, and a
second run changes nothing."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.support import REPO_ROOT

PACKAGE = "django_blog_codemod_out"


def run_codemod(out: Path, report: Path) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO_ROOT)
        result = CliRunner().invoke(
            app,
            [
                "codemod", "django", "legacy_examples/django_blog",
                "--out", str(out), "--report", str(report),
            ],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("codemod")
    report = folder / "report.json"
    run_codemod(folder / PACKAGE, report)
    return folder / PACKAGE, json.loads(report.read_text())


@pytest.fixture
def migrated(generated: tuple[Path, list[dict[str, Any]]]) -> Iterator[Any]:
    out, _ = generated
    sys.path.insert(0, str(out.parent))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out.parent))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def resolver_names() -> set[str]:
    """The namespaced names of the project's own url patterns, as Django's resolver has them."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns: list[Any], namespace: tuple[str, ...]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
                urlconf = getattr(pattern.urlconf_name, "__name__", str(pattern.urlconf_name))
                if urlconf.startswith("legacy_examples.django_blog"):
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(":".join([*namespace, pattern.name]))

    walk(get_resolver().url_patterns, ())
    return names


def routes(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["kind"] == "route"]


def test_every_url_pattern_is_in_the_report(generated: tuple[Path, list[dict[str, Any]]]) -> None:
    _, entries = generated
    reported = {e["name"] for e in routes(entries) if e["name"]}
    assert reported == resolver_names()
    outside = [e["django_route"] for e in routes(entries) if not e["name"]]
    assert sorted(outside) == ["accounts/", "admin/"]  # admin.site.urls, auth's URLconf


def test_every_view_route_is_verified_and_every_json_route_leaves_the_orm(
    generated: tuple[Path, list[dict[str, Any]]],
) -> None:
    _, entries = generated
    status = {e["name"]: e["status"] for e in routes(entries) if e["name"]}
    assert len(status) == 12
    json_routes = {name for name in status if name.startswith("api:")}
    assert len(json_routes) == 6
    assert {name for name, value in status.items() if value == "converted"} == {
        "blog:drafts",
        *json_routes,
    }
    for entry in routes(entries):
        assert entry["verified"] is (True if entry["name"] else None), entry
        assert bool(entry["reasons"]) is (entry["status"] != "converted"), entry


def test_the_class_based_views_are_served_with_their_mixins_as_dependencies(
    generated: tuple[Path, list[dict[str, Any]]],
) -> None:
    out, entries = generated
    methods = {e["name"]: e["methods"] for e in routes(entries) if e["name"]}
    assert methods["blog:post_list"] == ["GET", "HEAD", "OPTIONS"]
    assert methods["blog:post_create"] == ["GET", "POST", "PUT", "HEAD", "OPTIONS"]
    urls = (out / "blog" / "urls.py").read_text()
    assert "access_guard(LoginRequiredMixin, views.PostCreateView)" in urls
    assert "class PostCreateView(CreateView):" in (out / "blog" / "views.py").read_text()


def test_the_paths_are_the_ones_django_serves(
    generated: tuple[Path, list[dict[str, Any]]],
) -> None:
    _, entries = generated
    paths = {e["name"]: e["path"] for e in routes(entries) if e["name"]}
    assert paths["api:post_detail"] == "/api/posts/{pk:int}/"
    assert paths["api:archive_year"] == "/api/archive/{year:re_2653f70c}/"
    assert paths["blog:drafts"] == "/drafts/"


def test_create_app_builds_with_every_converted_route(migrated: Any) -> None:
    application = migrated.create_app()
    assert application.url_path_for("api:post_detail", pk=7) == "/api/posts/7/"
    assert application.url_path_for("api:archive_year", year="2024") == "/api/archive/2024/"
    assert application.url_path_for("blog:drafts") == "/drafts/"


@pytest.mark.django_db(transaction=True)
def test_the_json_routes_answer_as_django_does(migrated: Any) -> None:
    from django.test import Client

    from legacy_examples.django_blog.blog.models import Tag

    Tag.objects.create(name="Python", slug="python")
    django = Client()
    with TestClient(migrated.create_app()) as fastapi:
        for url in ("/api/tags/", "/api/posts/", "/api/posts/99999/", "/api/archive/2024/"):
            ours, theirs = fastapi.get(url), django.get(url)
            assert ours.status_code == theirs.status_code, url
            assert ours.content == theirs.content, url
        assert fastapi.get("/api/archive/20x4/").status_code == 404  # the regex, not a 422
        assert fastapi.get("/api/posts/abc/").status_code == 404
        anonymous = fastapi.get("/api/me/", follow_redirects=False)
        assert anonymous.status_code == django.get("/api/me/").status_code == 302
        refused = fastapi.post("/api/posts/", json={"title": "t"})
        assert refused.status_code == 401 == django.post("/api/posts/").status_code


def test_a_second_run_changes_nothing(
    generated: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    out, _ = generated
    before = {p: p.read_text() for p in out.rglob("*.py")}
    output = run_codemod(out, tmp_path / "again.json")
    assert {p: p.read_text() for p in out.rglob("*.py")} == before
    assert "written" not in output.split("skipped")[0]
