"""The user id a Flask legacy session names, read with the legacy app's own serializer."""

from __future__ import annotations

from flask import Flask

from proxy.session_user import session_user_reader
from tests.unit.modes.session_apps import legacy, session_cookie


def cookies_of(header: str) -> dict[str, str]:
    name, _, value = header.partition("=")
    return {name: value}


def test_flask_login_and_plain_user_ids_are_read() -> None:
    read = session_user_reader(legacy)

    assert read is not None
    assert read(cookies_of(session_cookie("42"))) == "42"
    assert read(cookies_of(session_cookie("7", key="user_id"))) == "7"


def test_no_session_a_forged_one_or_one_without_a_user_names_nobody() -> None:
    read = session_user_reader(legacy)

    assert read is not None
    assert read({}) is None
    assert read({"session": "eyJfdXNlcl9pZCI6IjQyIn0.forged.sig"}) is None
    assert read(cookies_of(session_cookie("", key="_user_id"))) is None


def test_an_app_without_a_secret_key_or_not_flask_is_not_read() -> None:
    assert session_user_reader(Flask("no_key")) is None
    assert session_user_reader(lambda environ, start_response: []) is None
