"""The example shop: the codemod's output imports, and the JSON routes it reports `converted`
answer byte for byte like the legacy app on the same database."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.codemods.support import convert_example_shop

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "legacy_examples" / "flask_shop"
GENERATED = "flask_shop_generated"
CONVERTED_GETS = [
    "/api/products/1",
    "/api/products/2",
    "/api/categories",
    "/api/categories/1",
    "/api/products?per_page=3&page=2",
    "/api/products?category=books&per_page=1000",
    "/api/products?category=nope",
    "/api/products?page=abc&q=lamp",
    "/api/products/99999",
    "/api/products/1/image",
    "/api/products/export.csv",
    "/api/categories/99999",
    "/api/me",
]
LOGIN_VIEWS = {"me": "/api/me", "list_orders": "/api/orders"}

pytestmark = pytest.mark.skipif(not SHOP.is_dir(), reason="legacy_examples/flask_shop is missing")


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[object, list]]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    monkeypatch.setenv("SECRET_KEY", "shop-case-secret")  # both sides read it from the environment
    report = convert_example_shop(tmp_path / GENERATED)
    from legacy_examples.flask_shop import create_app
    from legacy_examples.flask_shop.seed import seed_database

    legacy = create_app({"TESTING": True})
    seed_database(legacy)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield legacy, report
    for name in [m for m in sys.modules if m.split(".")[0] == GENERATED]:
        del sys.modules[name]


def test_converted_json_routes_answer_like_the_legacy_app(shop: tuple[object, list]) -> None:
    legacy, _ = shop
    generated = importlib.import_module(GENERATED).create_app()
    new = TestClient(generated)
    old = legacy.test_client()  # type: ignore[attr-defined]
    for path in CONVERTED_GETS:
        expected = old.get(path)
        answer = new.get(path)
        assert (answer.status_code, answer.content) == (expected.status_code, expected.get_data())
        assert answer.headers["content-type"] == expected.headers["Content-Type"]


QUOTES = [
    {"lines": [{"product_id": 1, "quantity": 2}, {"product_id": 99999, "quantity": 1}]},
    {"lines": [{"product_id": 1, "quantity": 0}], "currency": "USD", "extra": True},
    {"lines": []},
    [1, 2],
]


def test_converted_json_posts_answer_like_the_legacy_app(shop: tuple[object, list]) -> None:
    legacy, _ = shop
    new = TestClient(importlib.import_module(GENERATED).create_app())
    old = legacy.test_client()  # type: ignore[attr-defined]
    for body in QUOTES:
        expected, answer = old.post("/api/quote", json=body), new.post("/api/quote", json=body)
        assert (answer.status_code, answer.content) == (expected.status_code, expected.get_data())
    not_json = {"data": b"{", "headers": {"content-type": "text/plain"}}
    expected = old.post("/api/quote", **not_json)
    answer = new.post("/api/quote", content=b"{", headers={"content-type": "text/plain"})
    assert (answer.status_code, answer.content) == (expected.status_code, expected.get_data())
    expected, answer = old.post("/api/products", json={}), new.post("/api/products", json={})
    assert (answer.status_code, answer.content) == (expected.status_code, expected.get_data())


def test_every_route_is_reported_and_unconverted_ones_say_why(shop: tuple[object, list]) -> None:
    _, report = shop
    routes = [e for e in report if e["kind"] == "route"]
    assert len(routes) >= 30
    assert {e["status"] for e in routes} <= {"converted", "partial", "manual"}
    converted = [e for e in routes if e["status"] == "converted"]
    assert len(converted) >= 3
    assert all(e["reasons"] for e in routes if e["status"] != "converted")


def test_login_routes_are_converted_and_see_the_user_the_legacy_app_logged_in(
    shop: tuple[object, list],
) -> None:
    from legacy_examples.flask_shop.tests.adapter import FlaskClientAdapter
    from legacy_examples.flask_shop.tests.helpers import ALICE, log_in

    legacy, report = shop
    catalog = (SHOP / "catalog.py").read_text().splitlines()
    for view in [*LOGIN_VIEWS, "get_order"]:
        line = next(i for i, text in enumerate(catalog, 1) if text.startswith(f"def {view}("))
        (entry,) = [e for e in report if e["source"].endswith(f"catalog.py:{line}")]
        assert (view, entry["status"]) == (view, "converted")
    client = legacy.test_client()  # type: ignore[attr-defined]
    log_in(FlaskClientAdapter(client), ALICE["email"], ALICE["password"])
    new = TestClient(importlib.import_module(GENERATED).create_app())
    anonymous = legacy.test_client()  # type: ignore[attr-defined]
    for path in LOGIN_VIEWS.values():
        assert new.get(path).status_code == anonymous.get(path).status_code == 401
    new.cookies.set("session", client.get_cookie("session").value)
    for path in LOGIN_VIEWS.values():
        expected = client.get(path)
        answer = new.get(path)
        assert (path, answer.status_code, answer.content) == (
            path,
            200,
            expected.get_data(),
        )


def test_the_output_is_the_committed_migrated_shop(
    shop: tuple[object, list], tmp_path: Path
) -> None:
    # migrated/flask_shop is the codemod's output: a rule change that alters it shows here
    folder = tmp_path / GENERATED
    produced = {p.name: p.read_text() for p in folder.glob("*.py")}
    committed = {p.name: p.read_text() for p in (ROOT / "migrated" / "flask_shop").glob("*.py")}
    assert produced == committed


def test_no_generated_module_has_a_names_finding(shop: tuple[object, list]) -> None:
    # the names check (pyflakes: F401 unused, F811 shadowing, F821 undefined) found nothing
    _, report = shop
    findings = [r for e in report for r in e["reasons"] if r.startswith("verify names:")]
    assert findings == []
