"""migrated/django_blog reads Django's database sessions and password hashes as Django does."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore

from migrated.django_blog.django_auth import decode_session, session_auth_hash

SESSION = {"_auth_user_id": "7", "_auth_user_backend": "x.Backend", "_auth_user_hash": "ab12"}


def test_a_session_django_wrote_decodes_to_the_same_data() -> None:
    data = SessionStore().encode(SESSION)

    assert decode_session(data, settings.SECRET_KEY) == SESSION


def test_a_large_compressed_session_decodes_too() -> None:
    session = {**SESSION, "cart": ["item"] * 500}
    data = SessionStore().encode(session)

    assert data.startswith(".")
    assert decode_session(data, settings.SECRET_KEY) == session


def test_a_session_signed_with_another_secret_is_empty() -> None:
    data = SessionStore().encode(SESSION)

    assert decode_session(data, "another secret") == {}


@pytest.mark.parametrize("data", ["", "no-signature", "abc:def:ghi", "\u00e9:\u00e9"])
def test_a_malformed_session_is_empty(data: str) -> None:
    assert decode_session(data, settings.SECRET_KEY) == {}


def test_a_tampered_session_is_empty() -> None:
    data = SessionStore().encode(SESSION)
    payload, timestamp, signature = data.rsplit(":", 2)

    assert decode_session(f"{payload}x:{timestamp}:{signature}", settings.SECRET_KEY) == {}


def test_the_session_auth_hash_is_djangos() -> None:
    user = User(username="alice", password="pbkdf2_sha256$1$salt$hash")

    assert session_auth_hash(user.password, settings.SECRET_KEY) == user.get_session_auth_hash()
