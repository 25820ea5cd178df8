"""The logged-in user of Django's verification: a route that asks an anonymous caller to log in
(`login_required`'s redirect to `LOGIN_URL`, a 401 or a 403) is called again on both sides as
one superuser of the sandbox's database, through Django's own session (its `SESSION_ENGINE`
store and `SESSION_COOKIE_NAME`) and with a CSRF token as a browser's form would send it (the
`CSRF_COOKIE_NAME` cookie, or the session with `CSRF_USE_SESSIONS`, and the
`CSRF_HEADER_NAME` header), so that the comparison covers what the view answers rather than two
alike redirects to the login page or CSRF refusals.

The user has no usable password (nothing to leak, no hashing cost) and exists only in the
sandbox's copy of the database; its session is made before the sandbox's state is saved, so both
sides start from it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

USERNAME = "strangler-verify"
LOGIN_STATUSES = (401, 403)


def make_superuser() -> None:
    """The verification's superuser, when the project has auth (not when its user model
    refuses the user: a custom model with required fields of its own)."""
    if not _installed("django.contrib.auth"):
        return
    try:
        superuser()
    except Exception:
        return


OUTSIDE_GROUP = "strangler-verify-outside"


def join_groups() -> None:
    """The verification's superuser made a member of every group (the seeded one): views that
    show a user the rows of its groups (django-todo's lists) then have some to show; then one
    more group it is not in, so that a form offering the user's groups only (todo's
    `Group.objects.filter(user=user)`) leaves a row out, which the form pass posts
    (verify_forms.outside_submission). Done after seeding, in the sandbox's copy only."""
    if not _installed("django.contrib.auth"):
        return
    from django.contrib.auth.models import Group

    try:
        user = superuser()
        if hasattr(user, "groups"):
            user.groups.add(*Group.objects.all())
            Group.objects.get_or_create(name=OUTSIDE_GROUP)
    except Exception:  # a custom user model without Django's groups, or no user
        return


def user_headers() -> dict[str, str]:
    """The request headers of a superuser logged in as `django.contrib.auth.login` would log it
    in, with a CSRF token (empty when the project has no auth or sessions, or its user model
    refuses the user)."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()  # accepted unmasked, in the cookie and the header
    cookies = _cookies(token, user=True)
    if not cookies:
        return {}
    header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
    return {"Cookie": cookies, header: token}


def form_callers() -> dict[str, Any]:
    """Who a form's submission is posted as, as a browser holding the form's page would post
    it: `{"token": T, "anonymous": headers, "user": headers}`, the headers carrying only
    cookies (the CSRF cookie, or a session holding the secret with `CSRF_USE_SESSIONS`; the
    user's session), the token going into the body as `{% csrf_token %}`'s field. No "user"
    when the project has no auth or sessions, or its user model refuses the user."""
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    callers: dict[str, Any] = {"token": token}
    anonymous = _cookies(token, user=False)
    if anonymous:
        callers["anonymous"] = {"Cookie": anonymous}
    user = _cookies(token, user=True)
    if user:
        callers["user"] = {"Cookie": user}
    return callers


def _cookies(token: str, user: bool) -> str:
    """The `Cookie` header of a caller holding the CSRF secret `token` (and logged in as the
    superuser when `user`): empty when the project cannot give it one."""
    from django.conf import settings

    sessions = _installed("django.contrib.sessions")
    if user and (not _installed("django.contrib.auth") or not sessions):
        return ""
    if settings.CSRF_USE_SESSIONS and not sessions:
        return ""
    cookies = {}
    try:
        if user or settings.CSRF_USE_SESSIONS:
            who = superuser() if user else None
            secret = token if settings.CSRF_USE_SESSIONS else None
            cookies[settings.SESSION_COOKIE_NAME] = _session_for(who, secret)
    except Exception:  # a custom user model with required fields of its own
        return ""
    if not settings.CSRF_USE_SESSIONS:
        cookies[settings.CSRF_COOKIE_NAME] = token
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def asks_login(
    status: int, location: str | None, url: str | None = None, forms: tuple[Any, ...] = ()
) -> bool:
    """Whether an anonymous answer asks the caller to log in: 401/403, a redirect to the
    project's `LOGIN_URL`, or a page (200) showing Django's login form (an
    `AuthenticationForm`: the admin's `login` view a permission check answers with) at a URL
    that is not the login page's own."""
    if status in LOGIN_STATUSES:
        return True
    from django.conf import settings
    from django.shortcuts import resolve_url

    login = urlsplit(str(resolve_url(settings.LOGIN_URL))).path
    if status == 200 and url is not None and urlsplit(url).path != login:
        from django.contrib.auth.forms import AuthenticationForm

        return any(isinstance(form, AuthenticationForm) for form in forms)
    if status not in (301, 302, 303, 307, 308) or not location:
        return False
    return bool(login) and urlsplit(location).path == login


def _installed(app: str) -> bool:
    from django.apps import apps

    return apps.is_installed(app)


def superuser() -> Any:
    """The verification's superuser (made on first use: `prepare` makes it before the sandbox's
    database is seeded, so that rows needing a user take it)."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    manager = model._default_manager
    found = manager.filter(**{model.USERNAME_FIELD: USERNAME}).first()
    if found is not None:
        return found
    fields = {model.USERNAME_FIELD: USERNAME}
    if model.get_email_field_name() != model.USERNAME_FIELD:
        fields[model.get_email_field_name()] = "strangler-verify@example.invalid"
    return manager.create_superuser(password=None, **fields)  # an unusable password


def _session_for(user: Any, csrf_secret: str | None) -> str:
    """A saved session holding what `login()` puts there for `user` (none: an anonymous
    session) and the CSRF secret, when sessions keep it; its key (the cookie's value)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    if user is not None:
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if csrf_secret is not None:
        store[CSRF_SESSION_KEY] = csrf_secret
    store.save()
    key = store.session_key
    assert key is not None
    return str(key)
