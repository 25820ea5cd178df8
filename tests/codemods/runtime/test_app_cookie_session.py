"""The app's own Flask session cookie on the migrated side (no login bridge): read and written
exactly as Flask reads and writes it, with the app's configuration, and refused when Flask
refuses it."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from flask import session as legacy_session
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from starlette.responses import Response

from codemods.runtime.flask import session as cookie_session
from codemods.runtime.flask.compat import jsonify
from codemods.runtime.flask.context import current_flask_session
from tests.codemods.runtime.flask_twins import (
    SECRET,
    client,
    fastapi_app,
    flask_app,
    session_cookie,
    set_cookies,
    without_value,
)


def twins(config: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The same two routes on both sides: /login writes `user_id`, /whoami reads it."""
    legacy = flask_app(config)

    @legacy.route("/login")
    def legacy_login() -> str:
        legacy_session.clear()
        legacy_session["user_id"] = 7
        return "in"

    @legacy.route("/whoami")
    def legacy_whoami() -> Any:
        return {"user_id": legacy_session.get("user_id")}

    migrated: FastAPI = fastapi_app(config)

    @migrated.get("/login")
    def login() -> Response:
        current_flask_session().clear()
        current_flask_session()["user_id"] = 7
        return Response("in", media_type="text/html")

    @migrated.get("/whoami")
    def whoami() -> Response:
        return jsonify(user_id=current_flask_session().get("user_id"))

    return legacy.test_client(), client(migrated)


def legacy_reads(cookie: str, config: dict[str, Any] | None = None) -> Any:
    legacy, _ = twins(config)
    legacy.set_cookie("session", cookie)
    return legacy.get("/whoami").get_json()["user_id"]


def migrated_reads(cookie: str, config: dict[str, Any] | None = None) -> Any:
    _, migrated = twins(config)
    return migrated.get("/whoami", cookies={"session": cookie}).json()["user_id"]


def test_the_migrated_side_reads_the_session_flask_wrote() -> None:
    legacy, _ = twins()
    cookie = session_cookie(legacy.get("/login"))
    assert cookie is not None
    assert migrated_reads(cookie) == 7


def test_flask_reads_the_session_the_migrated_side_wrote() -> None:
    _, migrated = twins()
    cookie = session_cookie(migrated.get("/login"))
    assert cookie is not None
    assert legacy_reads(cookie) == 7


def test_a_cookie_signed_with_another_key_is_refused_by_both() -> None:
    forged = cookie_session.dump(cookie_session.SessionSettings("another-key"), {"user_id": 1})
    assert legacy_reads(forged) is None
    assert migrated_reads(forged) is None


def test_a_tampered_payload_is_refused_by_both() -> None:
    legacy, _ = twins()
    cookie = session_cookie(legacy.get("/login"))
    assert cookie is not None
    _, stamp, signature = cookie.rsplit(".", 2)
    admin = cookie_session.dump(cookie_session.SessionSettings("x"), {"user_id": 1})
    tampered = f"{admin.rsplit('.', 2)[0]}.{stamp}.{signature}"
    assert legacy_reads(tampered) is None
    assert migrated_reads(tampered) is None


def test_a_forged_unsigned_cookie_is_refused_by_both() -> None:
    forged = "eyJ1c2VyX2lkIjoxfQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"
    assert legacy_reads(forged) is None
    assert migrated_reads(forged) is None


def signed_in_the_past(age: timedelta) -> str:
    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age.total_seconds())

    interface = cookie_session.SecureCookieSessionInterface
    serializer = URLSafeTimedSerializer(
        SECRET,
        salt=interface.salt,
        serializer=interface.serializer,
        signer=PastSigner,
        signer_kwargs={
            "key_derivation": interface.key_derivation,
            "digest_method": interface.digest_method,
        },
    )
    return serializer.dumps({"user_id": 3})


def test_a_cookie_older_than_the_session_lifetime_is_refused_by_both() -> None:
    config = {"PERMANENT_SESSION_LIFETIME": timedelta(hours=1)}
    expired = signed_in_the_past(timedelta(hours=2))
    fresh = signed_in_the_past(timedelta(minutes=30))
    assert (legacy_reads(expired, config), migrated_reads(expired, config)) == (None, None)
    assert (legacy_reads(fresh, config), migrated_reads(fresh, config)) == (3, 3)


def test_a_cookie_signed_with_a_fallback_key_is_still_read_by_both() -> None:
    old = cookie_session.dump(cookie_session.SessionSettings("old-key"), {"user_id": 5})
    config = {"SECRET_KEY_FALLBACKS": ["old-key"]}
    assert legacy_reads(old, config) == 5
    assert migrated_reads(old, config) == 5
    _, migrated = twins(config)
    rewritten = session_cookie(migrated.get("/login"))
    assert rewritten is not None
    assert legacy_reads(rewritten) == 7  # signed with the current key, no fallback needed


COOKIE_SETTINGS = {
    "SESSION_COOKIE_NAME": "shop_session",
    "SESSION_COOKIE_PATH": "/shop",
    "SESSION_COOKIE_DOMAIN": "example.test",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": False,
    "SESSION_COOKIE_SAMESITE": "Lax",
}


def test_the_cookie_s_attributes_follow_the_app_s_session_cookie_settings() -> None:
    legacy, migrated = twins(COOKIE_SETTINGS)
    legacy_header = set_cookies(legacy.get("/login"))
    migrated_header = set_cookies(migrated.get("/login"))
    assert len(legacy_header) == len(migrated_header) == 1
    assert without_value(migrated_header[0]) == without_value(legacy_header[0])


def test_a_permanent_session_is_refreshed_with_its_expiry_as_flask_does() -> None:
    config = {"PERMANENT_SESSION_LIFETIME": timedelta(days=2)}
    permanent = cookie_session.dump(
        cookie_session.SessionSettings.from_config({"SECRET_KEY": SECRET}),
        {"_permanent": True, "user_id": 4},
    )
    legacy, migrated = twins(config)
    legacy.set_cookie("session", permanent)
    legacy_answer = legacy.get("/whoami")
    migrated_answer = migrated.get("/whoami", cookies={"session": permanent})
    assert migrated_answer.json()["user_id"] == 4
    assert [without_value(h) for h in set_cookies(migrated_answer)] == [
        without_value(h) for h in set_cookies(legacy_answer)
    ]
    assert "Expires=" in set_cookies(migrated_answer)[0]


def test_a_read_session_varies_on_the_cookie_and_an_untouched_one_is_not_written() -> None:
    legacy, migrated = twins()
    assert migrated.get("/whoami").headers.get("vary") == legacy.get("/whoami").headers.get("Vary")
    assert set_cookies(migrated.get("/whoami")) == []


def test_without_a_secret_key_writing_the_session_fails_as_in_flask() -> None:
    legacy, migrated = twins({"SECRET_KEY": None})
    legacy.application.testing = False
    assert legacy.get("/login").status_code == 500
    assert migrated.get("/login").status_code == 500
    assert migrated.get("/whoami").json() == {"user_id": None}


def test_the_secret_key_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _, migrated = twins()
    cookie = session_cookie(migrated.get("/login"))
    migrated.get("/whoami", cookies={"session": cookie or ""})
    migrated.get("/whoami", cookies={"session": "tampered.cookie.value"})
    assert SECRET not in caplog.text
