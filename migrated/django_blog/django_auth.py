"""Django's logged-in user, read the way django.contrib.sessions (database backend) and
django.contrib.auth read it: the `sessionid` cookie names a django_session row whose data is
signed (django.core.signing, TimestampSigner, sha256), base64 and maybe zlib-compressed JSON.

Not reproduced: when the session's password hash no longer matches (the password changed),
Django also deletes the session; here the request is only anonymous.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import DjangoSession, User

SESSION_SALT = "django.contrib.sessions.SessionStore"
AUTH_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def salted_hmac(key_salt: str, value: str, secret: str) -> hmac.HMAC:
    key = hashlib.sha256((key_salt + secret).encode()).digest()
    return hmac.new(key, msg=value.encode(), digestmod=hashlib.sha256)


def _b64_decode(text: bytes) -> bytes:
    return base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))


def decode_session(data: str, secret: str) -> dict[str, Any]:
    """The session dict, or {} when the data is not signed with `secret` or does not decode
    (Django's SessionBase.decode)."""
    try:
        signed, signature = data.rsplit(":", 1)
        expected = base64.urlsafe_b64encode(
            salted_hmac(SESSION_SALT + "signer", signed, secret).digest()
        ).strip(b"=")
        if not hmac.compare_digest(signature.encode(), expected):
            return {}
        payload = signed.rsplit(":", 1)[0].encode()  # drop the timestamp
        compressed = payload[:1] == b"."
        raw = _b64_decode(payload[1:] if compressed else payload)
        session = json.loads((zlib.decompress(raw) if compressed else raw).decode("latin-1"))
    except (ValueError, zlib.error, UnicodeError):
        return {}
    return session if isinstance(session, dict) else {}


def session_auth_hash(password_hash: str, secret: str) -> str:
    return salted_hmac(AUTH_HASH_SALT, password_hash, secret).hexdigest()


def logged_in_user(session: Session, session_key: str | None, secret: str) -> User | None:
    """The active user of this session cookie, or None (anonymous)."""
    if not session_key:
        return None
    row = session.scalars(
        select(DjangoSession).where(
            DjangoSession.session_key == session_key,
            DjangoSession.expire_date > datetime.now(UTC),
        )
    ).first()
    if row is None:
        return None
    data = decode_session(row.session_data, secret)
    if data.get("_auth_user_backend") != MODEL_BACKEND:
        return None
    try:
        user_id = int(data["_auth_user_id"])
    except (KeyError, TypeError, ValueError):
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    stored_hash = data.get("_auth_user_hash")
    if not isinstance(stored_hash, str) or not hmac.compare_digest(
        stored_hash, session_auth_hash(user.password, secret)
    ):
        return None
    return user
