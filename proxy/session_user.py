"""The user id the legacy session names, so a canary keeps a signed-in user on one side on every
device (`canary_assignment` prefers it to the client cookie).

Flask's default session (a cookie signed with the app's `SECRET_KEY`) is read with the legacy
app's own serializer; the id is flask-login's `_user_id`, else a plain `user_id`. Other session
kinds (server-side sessions, Django's) are not read: their clients keep the client cookie.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

UserReader = Callable[[Mapping[str, str]], str | None]
USER_KEYS = ("_user_id", "user_id")


def session_user_reader(legacy_wsgi: Any) -> UserReader | None:
    """A function from a request's cookies to its session's user id, or None when the legacy
    app's session cannot be read here."""
    try:
        from flask import Flask
    except ImportError:
        return None
    if not isinstance(legacy_wsgi, Flask):
        return None
    interface = legacy_wsgi.session_interface
    get_serializer = getattr(interface, "get_signing_serializer", None)
    serializer = get_serializer(legacy_wsgi) if get_serializer is not None else None
    if serializer is None:  # no SECRET_KEY, or not a signed-cookie session
        return None
    from itsdangerous import BadSignature

    cookie_name = str(legacy_wsgi.config["SESSION_COOKIE_NAME"])
    max_age = int(legacy_wsgi.permanent_session_lifetime.total_seconds())

    def user_id(cookies: Mapping[str, str]) -> str | None:
        value = cookies.get(cookie_name)
        if not value:
            return None
        try:
            data = serializer.loads(value, max_age=max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        for key in USER_KEYS:
            user = data.get(key)
            if user not in (None, ""):
                return str(user)
        return None

    return user_id
