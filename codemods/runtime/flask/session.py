"""Flask's signed session cookie, read and written the way Flask itself does it.

The legacy app and the migrated views share one cookie: whatever Flask's
`SecureCookieSessionInterface` signs, `load` reads, and whatever `save` writes, Flask accepts.
The signing comes from Flask's own classes (itsdangerous `URLSafeTimedSerializer` with the
interface's salt, key derivation, digest and `TaggedJSONSerializer`), the settings from the
legacy app's configuration with `Flask.default_config` for what it leaves out. Permanent while
both sides share the cookie.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response
from werkzeug.http import dump_cookie

_FLASK = SecureCookieSessionInterface


@dataclass(frozen=True)
class SessionSettings:
    """The `SESSION_*` settings of a Flask app that decide what its session cookie looks like."""

    secret_key: str | bytes | None
    fallbacks: tuple[str | bytes, ...] = ()
    cookie_name: str = "session"
    lifetime: timedelta = timedelta(days=31)
    domain: str | None = None
    path: str = "/"
    secure: bool = False
    httponly: bool = True
    samesite: str | None = None
    partitioned: bool = False
    refresh_each_request: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SessionSettings:
        """From a Flask config mapping; missing keys take Flask's defaults. Remembered by the
        values it reads (the login bridge asks once per request)."""
        key = tuple(config.get(name, _MISSING) for name in _SETTINGS_KEYS)
        try:
            return _KNOWN_SETTINGS[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (a list of fallback keys)
            return cls._read(config)
        settings = cls._read(config)
        if len(_KNOWN_SETTINGS) >= 64:
            _KNOWN_SETTINGS.clear()
        _KNOWN_SETTINGS[key] = settings
        return settings

    @classmethod
    def _read(cls, config: Mapping[str, Any]) -> SessionSettings:
        merged = {**Flask.default_config, **config}
        lifetime = merged["PERMANENT_SESSION_LIFETIME"]
        if not isinstance(lifetime, timedelta):
            lifetime = timedelta(seconds=int(lifetime))
        return cls(
            secret_key=merged["SECRET_KEY"],
            fallbacks=tuple(merged.get("SECRET_KEY_FALLBACKS") or ()),
            cookie_name=merged["SESSION_COOKIE_NAME"],
            lifetime=lifetime,
            domain=merged["SESSION_COOKIE_DOMAIN"] or None,
            path=merged["SESSION_COOKIE_PATH"] or merged["APPLICATION_ROOT"],
            secure=bool(merged["SESSION_COOKIE_SECURE"]),
            httponly=bool(merged["SESSION_COOKIE_HTTPONLY"]),
            samesite=merged["SESSION_COOKIE_SAMESITE"],
            partitioned=bool(merged.get("SESSION_COOKIE_PARTITIONED", False)),
            refresh_each_request=bool(merged["SESSION_REFRESH_EACH_REQUEST"]),
        )


_MISSING = object()
# The configuration keys `SessionSettings` reads, and the settings already made from them.
_SETTINGS_KEYS = (
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "SESSION_COOKIE_NAME",
    "PERMANENT_SESSION_LIFETIME",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "APPLICATION_ROOT",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_PARTITIONED",
    "SESSION_REFRESH_EACH_REQUEST",
)
_KNOWN_SETTINGS: dict[tuple[Any, ...], SessionSettings] = {}


@functools.lru_cache(maxsize=64)
def signing_serializer(settings: SessionSettings) -> URLSafeTimedSerializer | None:
    """`SecureCookieSessionInterface.get_signing_serializer`: None without a secret key. One
    per settings (it keeps no state between calls)."""
    if not settings.secret_key:
        return None
    keys = [*settings.fallbacks, settings.secret_key]  # itsdangerous signs with the last one
    return URLSafeTimedSerializer(
        keys,  # type: ignore[arg-type]
        salt=_FLASK.salt,
        serializer=_FLASK.serializer,
        signer_kwargs={
            "key_derivation": _FLASK.key_derivation,
            "digest_method": _FLASK.digest_method,
        },
    )


def load(settings: SessionSettings, value: str | None) -> SecureCookieSession:
    """The session a cookie value holds; empty (anonymous) when it is missing, forged, tampered
    with, expired or malformed, like `SecureCookieSessionInterface.open_session`. Flask's own
    session class, so writes mark it `modified`."""
    if not value:
        return SecureCookieSession()
    serializer = signing_serializer(settings)
    if serializer is None:
        return SecureCookieSession()
    try:
        data = serializer.loads(value, max_age=int(settings.lifetime.total_seconds()))
    except BadSignature:  # also BadTimeSignature, SignatureExpired and BadPayload
        return SecureCookieSession()
    return SecureCookieSession(data if isinstance(data, dict) else {})


def read(settings: SessionSettings, connection: HTTPConnection) -> SecureCookieSession:
    """The session of a request, from its session cookie."""
    return load(settings, connection.cookies.get(settings.cookie_name))


def dump(settings: SessionSettings, data: Mapping[str, Any]) -> str:
    """A cookie value Flask's `open_session` accepts for this session data."""
    serializer = signing_serializer(settings)
    if serializer is None:
        raise RuntimeError("the session is unavailable because no secret key was set")
    value = serializer.dumps(dict(data))
    return value.decode() if isinstance(value, bytes) else value


def save(
    settings: SessionSettings,
    response: Response,
    data: Mapping[str, Any],
    *,
    modified: bool = True,
    accessed: bool = True,
) -> None:
    """`SecureCookieSessionInterface.save_session` on a Starlette response: the same
    `Set-Cookie` (deleted when the session became empty) and `Vary: Cookie` (when the session
    was read or its cookie is written)."""
    if accessed:
        _vary_cookie(response)
    if not data:
        if modified:
            response.headers.append("Set-Cookie", _cookie(settings, "", expires=0, max_age=0))
            _vary_cookie(response)
        return
    permanent = bool(data.get("_permanent"))
    if not (modified or (permanent and settings.refresh_each_request)):
        return
    expires = datetime.now(UTC) + settings.lifetime if permanent else None
    cookie = _cookie(settings, dump(settings, data), expires=expires)
    response.headers.append("Set-Cookie", cookie)
    _vary_cookie(response)


def _cookie(
    settings: SessionSettings,
    value: str,
    *,
    expires: datetime | int | None = None,
    max_age: int | None = None,
) -> str:
    return dump_cookie(
        settings.cookie_name,
        value,
        max_age=max_age,
        expires=expires,
        path=settings.path,
        domain=settings.domain,
        secure=settings.secure,
        httponly=settings.httponly,
        samesite=settings.samesite,
        partitioned=settings.partitioned,
    )


def _vary_cookie(response: Response) -> None:
    if "vary" not in response.headers:
        response.headers["Vary"] = "Cookie"
        return
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "cookie" not in (v.lower() for v in vary):
        response.headers["Vary"] = ", ".join([*vary, "Cookie"])
