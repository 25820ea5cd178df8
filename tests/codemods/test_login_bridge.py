"""flask-login on the session bridge, in a hand-written FastAPI app beside the real flask_shop:
the same user, the same answers for anonymous requests, and cookies either side accepts.

No `from __future__ import annotations`: FastAPI reads the annotations of the dependencies
defined inside `migrated_app`."""

from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Request, Response
from fastapi.testclient import TestClient
from flask.testing import FlaskClient
from flask_login import UserMixin
from sqlalchemy import String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from codemods.runtime.flask.compat import FlaskRoute, jsonify
from codemods.runtime.flask.login_bridge import LoginManager, finish
from codemods.runtime.flask.session import SessionSettings, load
from tests.codemods.legacy_shop import LegacyShop, cookie, legacy_shop

HEADERS = {"User-Agent": "bridge-test", "X-Forwarded-For": "203.0.113.9"}  # one client


class Base(DeclarativeBase):
    pass


class User(UserMixin, Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(100))
    is_admin: Mapped[bool]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "name": self.name, "is_admin": self.is_admin}


class FinishingRoute(FlaskRoute):
    """A route class that lets the bridge finish each response, as Flask's `save_session` and
    flask-login's `after_request` do."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            return finish(request, await handler(request))

        return handle


def migrated_app(shop: LegacyShop) -> FastAPI:
    """What the codemod generates for flask_shop, written out by hand."""
    sessions = sessionmaker(create_engine(shop.database_url))
    manager = LoginManager(lambda: shop.app.config, login_message_category="error")

    def get_session() -> Iterator[Session]:
        with sessions() as session:
            yield session

    @manager.user_loader
    def load_user(user_id: Any, session: Session) -> Any:
        return session.get(User, int(user_id))

    def current_user(request: Request, session: Annotated[Session, Depends(get_session)]) -> Any:
        return manager.current_user(request, session)

    app = FastAPI()
    app.router.route_class = FinishingRoute

    @app.get("/api/me", dependencies=[Depends(manager.login_required(current_user))])
    def me(user: Annotated[Any, Depends(current_user)]) -> Response:
        return jsonify(user.to_dict())

    @app.get("/orders", dependencies=[Depends(manager.login_required(current_user, "auth.login"))])
    def orders() -> Response:
        return jsonify([])

    @app.get("/auth/login", name="auth.login")
    def login_page() -> Response:
        return jsonify("login")

    @app.get("/whoami")
    def whoami(user: Annotated[Any, Depends(current_user)]) -> Response:
        return jsonify(user.is_authenticated)

    @app.get("/login-as/{user_id}")
    def login_as(
        user_id: int, request: Request, session: Annotated[Session, Depends(get_session)]
    ) -> Response:
        response = jsonify("ok")
        manager.login_user(request, response, session.get(User, user_id), remember=True)
        return response

    @app.get("/logout")
    def logout(request: Request) -> Response:
        response = jsonify("bye")
        manager.logout_user(request, response)
        return response

    return app


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> LegacyShop:
    return legacy_shop(tmp_path_factory.mktemp("shop"))


@pytest.fixture
def new(shop: LegacyShop) -> TestClient:
    return migrated_client(shop, HEADERS)


def migrated_client(shop: LegacyShop, headers: dict[str, str]) -> TestClient:
    client = TestClient(migrated_app(shop), follow_redirects=False)
    for name, value in headers.items():
        client.headers[name] = value  # replaces the test client's own User-Agent
    return client


def with_cookies(client: TestClient, legacy: FlaskClient, *names: str) -> TestClient:
    for name in names:
        client.cookies.set(name, cookie(legacy, name))
    return client


def test_the_user_logged_in_on_the_legacy_app_is_the_migrated_views_user(
    shop: LegacyShop, new: TestClient
) -> None:
    legacy = shop.logged_in(headers=HEADERS)
    expected = legacy.get("/api/me", headers=HEADERS)
    answer = with_cookies(new, legacy, "session").get("/api/me")
    assert (answer.status_code, answer.content) == (200, expected.get_data())


def test_an_anonymous_api_call_answers_401_like_flask_login(
    shop: LegacyShop, new: TestClient
) -> None:
    assert new.get("/api/me").status_code == shop.client().get("/api/me").status_code == 401


def test_an_anonymous_page_redirects_to_the_login_view_like_flask_login(
    shop: LegacyShop, new: TestClient
) -> None:
    expected = shop.client().get("/orders?page=2")
    answer = new.get("/orders?page=2")
    assert answer.status_code == expected.status_code == 302
    assert answer.headers["location"] == expected.headers["Location"]
    assert answer.content == expected.get_data()
    settings = SessionSettings.from_config(shop.app.config)
    flashed = load(settings, answer.cookies["session"])
    assert flashed == load(settings, expected.headers["Set-Cookie"].split(";")[0][8:])
    assert flashed == {"_flashes": [("error", "Please log in to access this page.")]}


@pytest.mark.parametrize("query", ["q=caf%C3%A9&x=a+b", "q=%2F%3F&x=", "q=caf\u00e9", "a=1&a=2"])
def test_the_page_asked_for_goes_in_next_as_flask_login_spells_it(
    shop: LegacyShop, new: TestClient, query: str
) -> None:
    expected = shop.client().get(f"/orders?{query}")
    answer = new.get(f"/orders?{query}")
    assert answer.headers["location"] == expected.headers["Location"]


def test_with_use_session_for_next_the_page_asked_for_goes_in_the_session(
    tmp_path: Path,
) -> None:
    shop = legacy_shop(tmp_path, USE_SESSION_FOR_NEXT=True)
    expected = shop.client().get("/orders?page=2", headers=HEADERS)
    answer = migrated_client(shop, HEADERS).get("/orders?page=2")
    assert answer.headers["location"] == expected.headers["Location"] == "/auth/login"
    settings = SessionSettings.from_config(shop.app.config)
    written = load(settings, answer.cookies["session"])
    assert written == load(settings, expected.headers["Set-Cookie"].split(";")[0][8:])
    assert written["next"] == "/orders?page=2"


def test_a_forged_session_is_anonymous(shop: LegacyShop, new: TestClient) -> None:
    forged = SessionSettings(secret_key="not-the-key")
    from codemods.runtime.flask.session import dump

    new.cookies.set("session", dump(forged, {"_user_id": "1"}))
    assert new.get("/whoami").json() is False


def test_the_remember_me_cookie_alone_logs_the_user_in(shop: LegacyShop, new: TestClient) -> None:
    legacy = shop.logged_in(remember=True, headers=HEADERS)
    only_remembered = shop.client()
    only_remembered.set_cookie("remember_token", cookie(legacy, "remember_token"))
    expected = only_remembered.get("/api/me")
    answer = with_cookies(new, legacy, "remember_token").get("/api/me")
    assert (answer.status_code, answer.content) == (200, expected.get_data())


@pytest.mark.parametrize("forged", ["1|" + "0" * 128, "1", "|", "1|%C3%A9"])
def test_a_forged_remember_me_cookie_is_anonymous(new: TestClient, forged: str) -> None:
    new.cookies.set("remember_token", forged)
    assert new.get("/whoami").json() is False


def test_a_remember_me_cookie_with_non_ascii_characters_is_refused() -> None:
    manager = LoginManager(lambda: {"SECRET_KEY": "k"})
    assert manager.decode_remember_cookie("1|\u00e9t\u00e9") is None


def test_strong_session_protection_forgets_a_session_from_another_browser(
    tmp_path: Path,
) -> None:
    shop = legacy_shop(tmp_path, SESSION_PROTECTION="strong")
    legacy = shop.logged_in(headers=HEADERS)
    elsewhere = {"User-Agent": "another-browser"}
    assert legacy.get("/api/me", headers=elsewhere).status_code == 401
    new = migrated_client(shop, elsewhere)
    assert (
        with_cookies(new, shop.logged_in(headers=HEADERS), "session").get("/api/me").status_code
        == 401
    )


def test_a_login_written_by_the_bridge_is_accepted_by_the_legacy_app(
    shop: LegacyShop, new: TestClient
) -> None:
    answer = new.get("/login-as/2")
    for remembered in ("session", "remember_token"):
        legacy = shop.client()
        legacy.set_cookie(remembered, answer.cookies[remembered])
        me = legacy.get("/api/me", headers=HEADERS)
        assert (remembered, me.status_code, me.get_json()["id"]) == (remembered, 200, 2)


def test_a_logout_written_by_the_bridge_logs_the_legacy_app_out(
    shop: LegacyShop, new: TestClient
) -> None:
    legacy = shop.logged_in(remember=True, headers=HEADERS)
    answer = with_cookies(new, legacy, "session", "remember_token").get("/logout")
    expected = legacy.get("/auth/logout", headers=HEADERS)
    cleared = [c for c in answer.headers.get_list("set-cookie") if c.startswith("remember_token=")]
    assert cleared == [
        c for c in expected.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
    ]
    after = shop.client()
    after.set_cookie("session", answer.cookies["session"])
    assert after.get("/api/me", headers=HEADERS).status_code == 401


def test_a_user_looked_up_varies_the_response_on_the_cookie_and_keeps_it(
    shop: LegacyShop, new: TestClient
) -> None:
    legacy = shop.logged_in(headers=HEADERS)
    expected = legacy.get("/api/me", headers=HEADERS)
    answer = with_cookies(new, legacy, "session").get("/api/me")
    assert answer.headers["vary"] == expected.headers["Vary"] == "Cookie"
    assert "set-cookie" not in answer.headers
    assert "Set-Cookie" not in expected.headers


def test_a_user_remembered_gets_the_session_cookie_flask_login_writes(
    shop: LegacyShop, new: TestClient
) -> None:
    remembered = cookie(shop.logged_in(remember=True, headers=HEADERS), "remember_token")
    legacy = shop.client()
    legacy.set_cookie("remember_token", remembered)
    expected = legacy.get("/api/me", headers=HEADERS)
    new.cookies.set("remember_token", remembered)
    answer = new.get("/api/me")
    assert answer.content == expected.get_data()
    settings = SessionSettings.from_config(shop.app.config)
    written = load(settings, answer.cookies["session"])
    assert written == load(settings, cookie(legacy)) == {"_user_id": "2", "_fresh": False}


def test_remember_cookie_refresh_each_request_renews_it_like_flask_login(tmp_path: Path) -> None:
    shop = legacy_shop(tmp_path, REMEMBER_COOKIE_REFRESH_EACH_REQUEST=True)
    legacy = shop.logged_in(headers=HEADERS)
    expected = legacy.get("/api/me", headers=HEADERS)
    answer = with_cookies(migrated_client(shop, HEADERS), legacy, "session").get("/api/me")
    assert "remember_token" in answer.cookies
    assert answer.cookies["remember_token"] == cookie(legacy, "remember_token")
    assert expected.status_code == answer.status_code == 200
