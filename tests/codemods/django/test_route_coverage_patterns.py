"""Django's side of the report's route check: the resolver's patterns, matched pattern by pattern
(codemods/engine/route_coverage.py `check_patterns`, fed by codemods/django/url_patterns.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods.engine.findings import Finding
from codemods.engine.route_coverage import check_routes


def pattern(route: str, name: str | None, urlconf: str, module: str, **more: Any) -> dict[str, Any]:
    return {"rule": route, "endpoint": name, "methods": [], "urlconf": urlconf,
            "module": module, "name": "view", "line": 1, **more}  # fmt: skip


def entry(route: str, name: str | None) -> Finding:
    finding = Finding(kind="route", symbol="view")
    finding.details = {"django_route": route, "name": name}
    return finding


def test_each_pattern_of_the_package_s_urlconfs_is_matched_by_route_and_name() -> None:
    served = [
        pattern("posts/", "blog:list", "shop.urls", "shop.views"),
        pattern("posts/<int:pk>/", "blog:detail", "shop.urls", "shop.views"),
    ]
    coverage = check_routes({"rules": served}, [entry("posts/", "list")], Path("."), "shop")
    assert (len(coverage.rules), coverage.reported) == (2, 1)
    assert [rule.rule for rule in coverage.missing] == ["posts/<int:pk>/"]


def test_a_site_prefix_and_regex_anchors_do_not_hide_a_pattern() -> None:
    served = [pattern("site/^archive/$", "archive", "shop.urls", "shop.views")]
    coverage = check_routes({"rules": served}, [entry("^archive/$", "archive")], Path("."), "shop")
    assert coverage.missing == []


def test_patterns_of_other_urlconfs_and_listed_framework_views_are_not_the_package_s() -> None:
    served = [
        pattern("admin/", "admin:index", "shop.urls", "django.contrib.admin.sites", listed=True),
        pattern("accounts/login/", "login", "django.contrib.auth.urls", "django.contrib.auth"),
        pattern("x/", "x", "shop.urls", "shop.views", listed=True),
    ]
    coverage = check_routes({"rules": served}, [], Path("."), "shop")
    assert [rule.rule for rule in coverage.rules] == ["x/"]
