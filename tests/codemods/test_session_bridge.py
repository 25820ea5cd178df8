"""The session bridge reads the real flask_shop's signed session cookie as Flask does, and Flask
accepts the cookies it writes."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from starlette.responses import Response

from codemods.runtime.flask import session as flask_session
from tests.codemods.legacy_shop import SECRET, LegacyShop, cookie, legacy_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> LegacyShop:
    return legacy_shop(tmp_path_factory.mktemp("shop"))


@pytest.fixture
def settings(shop: LegacyShop) -> flask_session.SessionSettings:
    return flask_session.SessionSettings.from_config(shop.app.config)


def legacy_session(shop: LegacyShop, value: str) -> dict[str, object]:
    """What Flask itself makes of a session cookie."""
    with shop.app.test_request_context(headers={"Cookie": f"session={value}"}) as context:
        opened = SecureCookieSessionInterface().open_session(shop.app, context.request)
    return dict(opened or {})


def stamped_in_the_past(settings: flask_session.SessionSettings, age: timedelta) -> str:
    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age.total_seconds())

    interface = SecureCookieSessionInterface
    serializer = URLSafeTimedSerializer(
        settings.secret_key,  # type: ignore[arg-type]
        salt=interface.salt,
        serializer=interface.serializer,
        signer=PastSigner,
        signer_kwargs={
            "key_derivation": interface.key_derivation,
            "digest_method": interface.digest_method,
        },
    )
    return serializer.dumps({"_user_id": "2"})


def test_the_bridge_reads_the_session_the_legacy_login_wrote(
    shop: LegacyShop, settings: flask_session.SessionSettings
) -> None:
    value = cookie(shop.logged_in())
    session = flask_session.load(settings, value)
    assert session["_user_id"] == "2"
    assert session == legacy_session(shop, value)


def test_a_cookie_signed_with_another_key_is_anonymous(
    shop: LegacyShop, settings: flask_session.SessionSettings
) -> None:
    other = flask_session.SessionSettings(secret_key="another-key")
    forged = flask_session.dump(other, {"_user_id": "1"})
    assert flask_session.load(settings, forged) == {}
    assert legacy_session(shop, forged) == {}


def test_a_tampered_payload_is_anonymous(
    shop: LegacyShop, settings: flask_session.SessionSettings
) -> None:
    payload, stamp, signature = cookie(shop.logged_in()).rsplit(".", 2)
    admin = flask_session.dump(settings, {"_user_id": "1"}).rsplit(".", 2)[0]
    tampered = f"{admin}.{stamp}.{signature}"
    assert payload != admin
    assert flask_session.load(settings, tampered) == {}
    assert legacy_session(shop, tampered) == {}


def test_an_expired_cookie_is_anonymous(tmp_path: Path) -> None:
    shop = legacy_shop(tmp_path, PERMANENT_SESSION_LIFETIME=timedelta(days=1))
    settings = flask_session.SessionSettings.from_config(shop.app.config)
    expired = stamped_in_the_past(settings, timedelta(days=2))
    fresh = stamped_in_the_past(settings, timedelta(hours=23))
    assert flask_session.load(settings, expired) == legacy_session(shop, expired) == {}
    assert flask_session.load(settings, fresh) == legacy_session(shop, fresh) == {"_user_id": "2"}


@pytest.mark.parametrize(
    "garbage", ["", "garbage", "a.b.c", "..", "eyJ.x.y", "%%%", "é" * 40, "." * 500]
)
def test_a_malformed_cookie_is_anonymous(
    shop: LegacyShop, settings: flask_session.SessionSettings, garbage: str
) -> None:
    assert flask_session.load(settings, garbage) == {}


def test_without_a_secret_key_every_session_is_empty() -> None:
    settings = flask_session.SessionSettings.from_config({})
    assert flask_session.load(settings, "anything.at.all") == {}


def test_a_cookie_signed_with_a_fallback_key_is_still_read(shop: LegacyShop) -> None:
    value = cookie(shop.logged_in())
    rotated = flask_session.SessionSettings.from_config(
        {"SECRET_KEY": "the-new-key", "SECRET_KEY_FALLBACKS": [SECRET]}
    )
    assert flask_session.load(rotated, value)["_user_id"] == "2"


def test_the_settings_follow_the_legacy_config() -> None:
    settings = flask_session.SessionSettings.from_config(
        {
            "SECRET_KEY": "k",
            "SESSION_COOKIE_NAME": "shop_session",
            "PERMANENT_SESSION_LIFETIME": 600,
            "SESSION_COOKIE_SAMESITE": "Lax",
        }
    )
    assert (settings.cookie_name, settings.lifetime, settings.samesite, settings.path) == (
        "shop_session",
        timedelta(minutes=10),
        "Lax",
        "/",
    )


def test_a_cookie_written_by_the_bridge_is_accepted_by_the_legacy_app(
    shop: LegacyShop, settings: flask_session.SessionSettings
) -> None:
    client = shop.client()
    client.set_cookie("session", flask_session.dump(settings, {"_user_id": "2", "_fresh": True}))
    answer = client.get("/api/me")
    assert answer.status_code == 200
    assert answer.get_json()["email"] == "alice@example.com"


def test_save_sets_the_cookie_flask_sets(
    shop: LegacyShop, settings: flask_session.SessionSettings
) -> None:
    legacy = shop.client().get("/orders")  # flashes the login message into a new session
    response = Response()
    flask_session.save(settings, response, legacy_session(shop, cookie_value(legacy)))
    ours = response.headers["set-cookie"]
    theirs = legacy.headers["Set-Cookie"]
    assert ours.split(";", 1)[1] == theirs.split(";", 1)[1]  # attributes
    assert legacy_session(shop, ours.split(";")[0].split("=", 1)[1]) == legacy_session(
        shop, cookie_value(legacy)
    )
    assert response.headers["vary"] == "Cookie"


def test_emptying_a_session_deletes_the_cookie(settings: flask_session.SessionSettings) -> None:
    response = Response()
    flask_session.save(settings, response, {})
    assert response.headers["set-cookie"] == (
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"
    )


def cookie_value(answer: object) -> str:
    header = answer.headers["Set-Cookie"]  # type: ignore[attr-defined]
    return str(header).split(";")[0].split("=", 1)[1]
