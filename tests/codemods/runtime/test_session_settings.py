"""The session cookie's settings are remembered by the configuration values they are read from:
a changed value gives new settings, the same values the same ones."""

from __future__ import annotations

from datetime import timedelta

from codemods.runtime.flask.session import SessionSettings, signing_serializer


def test_the_same_values_give_the_same_settings() -> None:
    first = SessionSettings.from_config({"SECRET_KEY": "one", "SESSION_COOKIE_NAME": "s"})
    again = SessionSettings.from_config({"SESSION_COOKIE_NAME": "s", "SECRET_KEY": "one"})
    assert again is first


def test_a_changed_value_gives_new_settings() -> None:
    config = {"SECRET_KEY": "one", "PERMANENT_SESSION_LIFETIME": 60}
    before = SessionSettings.from_config(config)
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=5)
    config["SECRET_KEY"] = "two"
    after = SessionSettings.from_config(config)
    assert (before.secret_key, before.lifetime) == ("one", timedelta(seconds=60))
    assert (after.secret_key, after.lifetime) == ("two", timedelta(minutes=5))


def test_unhashable_fallback_keys_are_read_every_time() -> None:
    fallbacks = ["old"]
    config = {"SECRET_KEY": "new", "SECRET_KEY_FALLBACKS": fallbacks}
    assert SessionSettings.from_config(config).fallbacks == ("old",)
    fallbacks.append("older")
    assert SessionSettings.from_config(config).fallbacks == ("old", "older")


def test_a_cookie_signed_with_a_fallback_key_still_reads() -> None:
    old = SessionSettings.from_config({"SECRET_KEY": "old"})
    rotated = SessionSettings.from_config({"SECRET_KEY": "new", "SECRET_KEY_FALLBACKS": ["old"]})
    old_serializer, rotated_serializer = signing_serializer(old), signing_serializer(rotated)
    assert old_serializer is not None and rotated_serializer is not None
    value = old_serializer.dumps({"cart": {"1": 2}})
    assert rotated_serializer.loads(value) == {"cart": {"1": 2}}
