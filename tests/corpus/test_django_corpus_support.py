"""The Django corpus's own support: URL patterns matched to report entries, the summary per
framework, the sites' settings."""

from __future__ import annotations

from pathlib import Path

from tests.corpus import summary
from tests.corpus.django_apps import DJANGO_APPS, SITES
from tests.support.corpus_report import Figures, Rule, pattern_key, uncovered_patterns


def rule(route: str, name: str | None) -> Rule:
    return Rule(route, name or "", (), "app.views", "view")


def test_a_pattern_is_the_same_whatever_the_anchors_and_namespaces() -> None:
    assert pattern_key("^topic/^(?P<pk>\\d+)/$", "spirit:topic:detail") == pattern_key(
        "topic/(?P<pk>\\d+)/$", "detail"
    )
    assert pattern_key("items/", None) != pattern_key("items/", "items")


def test_a_resolver_pattern_no_entry_is_for_is_uncovered() -> None:
    entries = [
        {"kind": "route", "django_route": "^login/?$", "name": "rest_login"},
        {"kind": "model", "django_route": "users/", "name": "users"},
    ]
    rules = [rule("login/?$", "rest_login"), rule("users/", "users")]
    assert uncovered_patterns(rules, entries) == [rules[1]]


def test_the_summary_has_a_table_and_a_total_per_framework() -> None:
    flask = Figures("sqlite-web", 2, 2, 2, 1, 1, 0, 1)
    django = Figures("django-todo", 3, 3, 3, 0, 0, 1, 2, framework="django")
    lines = summary.render([flask, django])
    assert lines[0] == "django:"
    assert lines[5] == "flask:"
    assert sum(1 for line in lines if line.startswith("total")) == 2


def test_every_app_has_a_settings_module_and_a_root_urlconf_in_the_sites_folder() -> None:
    for app in DJANGO_APPS:
        settings = Path(SITES) / f"{app.settings}.py"
        text = settings.read_text(encoding="utf-8")
        assert f'ROOT_URLCONF = "{app.settings}_urls"' in text
        assert (Path(SITES) / f"{app.settings}_urls.py").is_file()
