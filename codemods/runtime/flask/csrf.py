"""Flask-WTF's CSRF protection for generated views: the same tokens, checked the same way.

A token is the session's raw `csrf_token` signed with itsdangerous (salt `wtf-csrf-token`), so a
page rendered by either app posts to the other. The settings are `set_csrf(secret_key)`'s (the
generated login bridge calls it), else the app's own config (`WTF_CSRF_SECRET_KEY` or
`SECRET_KEY`, `WTF_CSRF_TIME_LIMIT`), and the session is the request's Flask session
(`session_hook`); without a key unsafe requests answer 400 (fail closed), as Flask-WTF does when
the session holds no token. Permanent while both sides render forms.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from fastapi import Request
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from codemods.runtime.flask.compat import LegacyResponse, error_response
from codemods.runtime.flask.session_hook import flask_session

FIELD_NAME = "csrf_token"
HEADERS = ("X-CSRFToken", "X-CSRF-Token")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class CsrfSettings:
    """`WTF_CSRF_SECRET_KEY` (or `SECRET_KEY`) and `WTF_CSRF_TIME_LIMIT` of the legacy app."""

    secret_key: str
    time_limit: int | None = 3600

    def serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt="wtf-csrf-token")


_settings: list[CsrfSettings] = []


def set_csrf(secret_key: str | None, time_limit: int | None = 3600) -> None:
    """Configure the check like the legacy app's Flask-WTF (None turns it off again)."""
    _settings[:] = [CsrfSettings(secret_key, time_limit)] if secret_key else []


def settings_for(request: Request) -> CsrfSettings | None:
    """`set_csrf`'s settings, else those of the app's config (Flask-WTF's defaults)."""
    if _settings:
        return _settings[0]
    config = getattr(request.app.state, "config", None) or {}
    secret = config.get("WTF_CSRF_SECRET_KEY") or config.get("SECRET_KEY")
    if not secret:
        return None
    return CsrfSettings(secret, config.get("WTF_CSRF_TIME_LIMIT", 3600))


def csrf_token(request: Request) -> str:
    """`flask_wtf.csrf.generate_csrf()`: one signed token per request ("" when not configured)."""
    cached = getattr(request.state, "csrf_token", None)
    if isinstance(cached, str):
        return cached
    session = flask_session(request)
    settings = settings_for(request)
    if settings is None or session is None:
        return ""
    if not isinstance(session.get(FIELD_NAME), str):
        session[FIELD_NAME] = hashlib.sha1(os.urandom(64)).hexdigest()
    token = settings.serializer().dumps(session[FIELD_NAME])
    assert isinstance(token, str)
    request.state.csrf_token = token
    return token


def csrf_error(
    session_token: object, data: str | None, settings: CsrfSettings | None
) -> str | None:
    """`flask_wtf.csrf.validate_csrf`: its error message, or None when the token is good."""
    if not data:
        return "The CSRF token is missing."
    if not isinstance(session_token, str) or settings is None:
        return "The CSRF session token is missing."
    try:
        token = settings.serializer().loads(data, max_age=settings.time_limit)
    except SignatureExpired:
        return "The CSRF token has expired."
    except BadData:
        return "The CSRF token is invalid."
    if not isinstance(token, str) or not hmac.compare_digest(session_token, token):
        return "The CSRF tokens do not match."
    return None


async def csrf_protect(request: Request) -> None:
    """`CSRFProtect`: unsafe requests need the form's `csrf_token` (or an X-CSRFToken header);
    400 with Flask-WTF's reason otherwise."""
    if request.method in SAFE_METHODS:
        return
    data: str | None = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(FIELD_NAME)
        data = value if isinstance(value, str) else None
    for header in HEADERS:
        data = data or request.headers.get(header)
    session = flask_session(request)
    reason = csrf_error(
        session.get(FIELD_NAME) if session is not None else None, data, settings_for(request)
    )
    if reason is not None:
        raise LegacyResponse(error_response(400, reason))
