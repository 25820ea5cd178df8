"""The codemod's own flask_shop, unedited, behind the real front: with every JSON API route in
`new` mode, then with the HTML pages too, the legacy flask_shop suite passes against it over
HTTP."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from legacy_examples.flask_shop.testing_server import seed_with_cli, shop_environment
from tests.support.servers import REPO_ROOT, run_pytest, running_front, venv_command

SUITE = "legacy_examples/flask_shop"
pytestmark = pytest.mark.slow

# Every route of catalog.py (the /api blueprint), with the methods it declares: HEAD, OPTIONS
# and undeclared methods (405) stay with legacy, as in the demo strangler.toml.
CATALOG_ROUTES = {
    "/api/products": ["GET", "POST"],
    "/api/products/export.csv": ["GET"],
    "/api/products/{product_id:int}": ["GET", "PUT", "PATCH", "DELETE"],
    "/api/products/{product_id:int}/image": ["GET", "POST"],
    "/api/categories": ["GET", "POST"],
    "/api/categories/{category_id:int}": ["GET", "PATCH", "DELETE"],
    "/api/me": ["GET"],
    "/api/orders": ["GET", "POST"],
    "/api/orders/{order_id:int}": ["GET"],
    "/api/quote": ["POST"],
}

# The HTML pages of shop.py and auth.py, with the methods they declare.
HTML_ROUTES = {
    "/": ["GET"],
    "/products/{product_id:int}": ["GET"],
    "/cart": ["GET"],
    "/cart/add/{product_id:int}": ["POST"],
    "/cart/remove/{product_id:int}": ["POST"],
    "/checkout": ["GET", "POST"],
    "/orders": ["GET"],
    "/admin/products/new": ["GET", "POST"],
    "/auth/login": ["GET", "POST"],
    "/auth/logout": ["GET"],
    "/auth/register": ["GET", "POST"],
}
HTML_SUITE = [f"{SUITE}/tests/test_shop_pages.py", f"{SUITE}/tests/test_auth.py"]


def front_config(routes: dict[str, list[str]]) -> str:
    lines = [
        "[legacy]",
        'app = "legacy_examples.flask_shop.wsgi:app"',
        "",
        "[migrated]",
        'app = "flask_shop:create_app"',
    ]
    for path, methods in routes.items():
        lines += ["", "[[routes]]", f'path = "{path}"', f"methods = {json.dumps(methods)}"]
        lines.append('mode = "new"')
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`strangler codemod flask legacy_examples/flask_shop` into a fresh folder."""
    out = tmp_path_factory.mktemp("generated")
    result = subprocess.run(
        [
            venv_command("strangler"),
            "codemod",
            "flask",
            "legacy_examples/flask_shop",
            "--out",
            str(out / "flask_shop"),
            "--report",
            str(out / "report.json"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@contextmanager
def serving(generated: Path, workdir: Path, routes: dict[str, list[str]]) -> Iterator[str]:
    """The front on a freshly seeded shop, with `routes` in `new` mode."""
    env = shop_environment(f"sqlite:///{workdir / 'shop.db'}", workdir / "uploads")
    seed_with_cli(env)
    config = workdir / "strangler.toml"
    config.write_text(front_config(routes))
    pythonpath = os.pathsep.join([str(generated), os.environ.get("PYTHONPATH", "")])
    with running_front(config, env={**env, "PYTHONPATH": pythonpath}) as url:
        yield url


@pytest.fixture(scope="module")
def front(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(generated, tmp_path_factory.mktemp("shop"), CATALOG_ROUTES) as url:
        yield url


@pytest.fixture(scope="module")
def html_front(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(
        generated, tmp_path_factory.mktemp("pages"), {**CATALOG_ROUTES, **HTML_ROUTES}
    ) as url:
        yield url


def test_every_catalog_route_is_converted_with_no_reasons_left(generated: Path) -> None:
    report = json.loads((generated / "report.json").read_text())
    catalog = [e for e in report if e["kind"] == "route" and "catalog.py" in e["source"]]
    # a route per (function, method)
    assert len(catalog) == sum(len(methods) for methods in CATALOG_ROUTES.values())
    assert [(e["source"], e["status"], e["reasons"]) for e in catalog] == [
        (e["source"], "converted", []) for e in catalog
    ]


def assert_all_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"\d+ passed", output)
    assert "failed" not in output and "skipped" not in output


def test_the_legacy_suite_passes_against_the_generated_api_through_the_front(front: str) -> None:
    result = run_pytest([SUITE, "--base-url", front])

    assert_all_passed(result)

    metrics = httpx.get(f"{front}/metrics").text
    for route in ("/api/products", "/api/quote", "/api/products/export.csv", "/api/me"):
        assert re.search(rf'route="{re.escape(route)}",side="new",status="200"\}} [1-9]', metrics)


def test_no_html_route_is_left_for_a_person(generated: Path) -> None:
    report = json.loads((generated / "report.json").read_text())
    pages = [
        e
        for e in report
        if e["kind"] == "route" and ("shop.py" in e["source"] or "auth.py" in e["source"])
    ]
    assert len(pages) == sum(len(methods) for methods in HTML_ROUTES.values())
    assert [e for e in pages if e["status"] == "manual"] == []
    assert all(e["reasons"] for e in pages if e["status"] == "partial")


def test_the_legacy_html_tests_pass_against_the_generated_pages_through_the_front(
    html_front: str,
) -> None:
    result = run_pytest([*HTML_SUITE, "--base-url", html_front])

    assert_all_passed(result)

    metrics = httpx.get(f"{html_front}/metrics").text
    for route in ("/cart", "/checkout", "/auth/login", "/cart/add/{product_id:int}"):
        assert re.search(
            rf'route="{re.escape(route)}",side="new",status="(200|302)"\}} [1-9]', metrics
        )
