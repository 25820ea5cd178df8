"""The generated flask_shop's HTML side on the session bridge: flashed messages, CSRF tokens and
the logged-in user travel in Flask's session cookie between the legacy app and the generated
views, both ways. The generated package plugs itself in (`login_bridge.plug_in()`)."""

import importlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from codemods.runtime.flask import compat, csrf
from codemods.runtime.flask.session_hook import use_flask_session
from tests.codemods.support import convert_example_shop

ROOT = Path(__file__).resolve().parents[2]
GENERATED = "flask_shop_wired_generated"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]*)"')
COOKIE = "session"
BAD_QUANTITY = "Choose a quantity between 1 and 99."


class Shop:
    def __init__(self, legacy: Any, new: TestClient) -> None:
        self.legacy = legacy.test_client()
        self.new = new

    def legacy_cookie(self) -> str:
        cookie = self.legacy.get_cookie(COOKIE)
        assert cookie is not None
        return str(cookie.value)

    def new_cookie(self) -> str:
        values = [c.value for c in self.new.cookies.jar if c.name == COOKIE]
        assert values and values[-1] is not None
        return values[-1]

    def to_legacy(self) -> None:
        self.legacy.set_cookie(COOKIE, self.new_cookie())

    def to_new(self) -> None:
        self.new.cookies.set(COOKIE, self.legacy_cookie(), domain="testserver.local")

    def legacy_token(self, path: str) -> str:
        return token_in(self.legacy.get(path).get_data(as_text=True))

    def new_token(self, path: str) -> str:
        return token_in(self.new.get(path).text)

    def log_in_on_legacy(self) -> None:
        answer = self.legacy.post(
            "/auth/login",
            data={
                "email": "admin@example.com",
                "password": "admin-password",
                "csrf_token": self.legacy_token("/auth/login"),
            },
        )
        assert answer.status_code == 302


def token_in(page: str) -> str:
    found = TOKEN.search(page)
    assert found is not None and found.group(1)
    return found.group(1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wired")
    convert_example_shop(folder / GENERATED)
    return folder


@pytest.fixture
def shop(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    from legacy_examples.flask_shop import create_app
    from legacy_examples.flask_shop.seed import seed_database

    legacy = create_app({"TESTING": True})
    seed_database(legacy)
    monkeypatch.syspath_prepend(str(generated))
    new = TestClient(importlib.import_module(GENERATED).create_app(), follow_redirects=False)
    yield Shop(legacy, new)
    use_flask_session(None)
    csrf.set_csrf(None)
    compat.set_user_loader(lambda request: None)
    for name in [m for m in sys.modules if m.split(".")[0] == GENERATED]:
        del sys.modules[name]


def test_a_message_flashed_by_a_generated_view_shows_on_the_legacy_page_after_the_redirect(
    shop: Shop,
) -> None:
    token = shop.new_token("/products/1")
    answer = shop.new.post("/cart/add/1", data={"quantity": "0", "csrf_token": token})
    assert answer.status_code == 302
    shop.to_legacy()
    assert BAD_QUANTITY in shop.legacy.get(answer.headers["location"]).get_data(as_text=True)


def test_a_message_flashed_by_the_legacy_app_shows_on_the_generated_page(shop: Shop) -> None:
    token = shop.legacy_token("/products/1")
    answer = shop.legacy.post("/cart/add/1", data={"quantity": "0", "csrf_token": token})
    assert answer.status_code == 302
    shop.to_new()
    page = shop.new.get("/products/1")
    assert BAD_QUANTITY in page.text
    assert BAD_QUANTITY not in shop.new.get("/products/1").text


def test_a_legacy_csrf_token_is_accepted_by_the_generated_view(shop: Shop) -> None:
    token = shop.legacy_token("/products/1")
    shop.to_new()
    answer = shop.new.post("/cart/add/1", data={"quantity": "0", "csrf_token": token})
    assert answer.status_code == 302


def test_a_generated_csrf_token_is_accepted_by_the_legacy_view(shop: Shop) -> None:
    token = shop.new_token("/products/1")
    shop.to_legacy()
    answer = shop.legacy.post("/cart/add/1", data={"quantity": "0", "csrf_token": token})
    assert answer.status_code == 302


def test_a_post_without_the_session_of_its_token_is_refused(shop: Shop) -> None:
    token = shop.legacy_token("/products/1")
    answer = shop.new.post("/cart/add/1", data={"quantity": "0", "csrf_token": token})
    assert answer.status_code == 400


@pytest.mark.parametrize("path", ["/products/1", "/", "/orders"])
def test_generated_pages_show_the_user_logged_in_on_the_legacy_app(shop: Shop, path: str) -> None:
    shop.log_in_on_legacy()
    shop.to_new()
    legacy_page = shop.legacy.get(path).get_data(as_text=True)
    new_page = shop.new.get(path).text
    assert '<span class="user">Ada Admin</span>' in legacy_page
    assert '<span class="user">Ada Admin</span>' in new_page


def log_in_on_new(shop: Shop) -> None:
    answer = shop.new.post(
        "/auth/login?next=/orders",
        data={
            "email": "admin@example.com",
            "password": "admin-password",
            "csrf_token": shop.new_token("/auth/login"),
        },
    )
    assert answer.status_code == 302
    assert answer.headers["location"] == "/orders"


def test_a_login_on_a_generated_view_is_seen_by_the_legacy_app(shop: Shop) -> None:
    log_in_on_new(shop)
    shop.to_legacy()
    page = shop.legacy.get("/orders").get_data(as_text=True)
    assert '<span class="user">Ada Admin</span>' in page
    assert "Welcome back, Ada Admin." in page


def test_a_logout_on_a_generated_view_is_seen_by_the_legacy_app(shop: Shop) -> None:
    shop.log_in_on_legacy()
    shop.to_new()
    assert shop.new.get("/auth/logout").status_code == 302
    shop.to_legacy()
    page = shop.legacy.get("/").get_data(as_text=True)
    assert '<span class="user">' not in page
    assert "You are logged out." in page


def add_two_of_product_1(side: Any, token: str) -> None:
    answer = side.post("/cart/add/1", data={"quantity": "2", "csrf_token": token})
    assert answer.status_code == 302


def test_a_cart_filled_on_the_legacy_app_is_the_generated_cart(shop: Shop) -> None:
    add_two_of_product_1(shop.legacy, shop.legacy_token("/products/1"))
    shop.to_new()
    page = shop.new.get("/cart").text
    assert '<tr data-product-id="1">' in page
    assert '<td class="quantity">2</td>' in page
    assert "Cart (2)" in page


def test_a_cart_filled_on_a_generated_view_is_the_legacy_cart(shop: Shop) -> None:
    add_two_of_product_1(shop.new, shop.new_token("/products/1"))
    shop.to_legacy()
    page = shop.legacy.get("/cart").get_data(as_text=True)
    assert '<td class="quantity">2</td>' in page
    assert "Cart (2)" in page


def test_a_line_removed_on_a_generated_view_is_gone_from_the_legacy_cart(shop: Shop) -> None:
    add_two_of_product_1(shop.legacy, shop.legacy_token("/products/1"))
    shop.to_new()
    answer = shop.new.post("/cart/remove/1", data={"csrf_token": shop.new_token("/products/1")})
    assert answer.status_code == 302
    shop.to_legacy()
    assert "Your cart is empty." in shop.legacy.get("/cart").get_data(as_text=True)


SESSION_REASONS = (
    "CSRF:",
    "flash:",
    "reads current_user",
    "shows flashed messages",
    "csrf_token()",
)


def test_the_html_routes_no_longer_wait_for_the_session_bridge(generated: Path) -> None:
    report = json.loads((generated / "report.json").read_text())
    routes = [
        e
        for e in report
        if e["kind"] == "route" and e["source"].split(":")[0].endswith(("shop.py", "auth.py"))
    ]
    reasons = [r for e in routes for r in e["reasons"]]
    assert routes and reasons
    assert not [r for r in reasons if r.startswith(SESSION_REASONS) or "login_user" in r]
    assert not [r for r in reasons if any(s in r for s in SESSION_REASONS[2:])]
