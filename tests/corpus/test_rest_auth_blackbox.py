"""dj-rest-auth 7.2.0 (Django REST framework) asked the same requests through Django and through
the codemod's output, unedited, on one database, in the app's venv: logins (refused, by session
and by token), the user's details (anonymous, by token, updated), logout, password change and
reset (refused and accepted), the MFA status (its queries on SQLAlchemy, off and on), MFA
activation and recovery codes regenerated (their `update_or_create` on SQLAlchemy), logout by
token (the token deleted on SQLAlchemy). Each
answer's status, JSON body and `WWW-Authenticate` must be the same on both sides; the tokens
are the database's, so they match too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.corpus.blackbox import asked_both
from tests.corpus.django_apps import REST_AUTH

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group(f"corpus-{REST_AUTH.key}")]
PACKAGE = "rest_auth_generated"

# Runs in the app's venv: Django set up from the site's settings, a fresh SQLite database,
# then each request asked of Django's test client and of the generated app's, in turn.
ASK_BOTH = r"""
import json, sys

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from django.test import Client
from fastapi.testclient import TestClient
from rest_framework.authtoken.models import Token

from rest_auth_generated import create_app

User.objects.create_user("ann", "ann@example.com", "correct horse 1")
fastapi = TestClient(create_app(), base_url="http://testserver")
django_client = Client(enforce_csrf_checks=True)  # as a browser: DRF checks CSRF on sessions
answers = []


def ask(method, url, body=None, token=None, each=None):
    # both sides' answer; with a token, as an API client: no cookies. `each()`, before each
    # side, puts the database in the same state for it and gives (token, body, seen): the
    # answer's body is then `seen(body)` (what it left in the database, random codes counted)
    headers = {"Authorization": f"Token {token}"} if token else {}
    global django_client
    if token or each:
        django_client = Client(enforce_csrf_checks=True)
        fastapi.cookies.clear()
    pair = []
    for side in ("django", "fastapi"):
        seen = None
        if each:
            token, body, seen = each()
            headers = {"Authorization": f"Token {token}"}
        if side == "django":
            extra = {"HTTP_AUTHORIZATION": headers["Authorization"]} if headers else {}
            call = getattr(django_client, method.lower())
            response = (
                call(url, json.dumps(body), content_type="application/json", **extra)
                if body is not None else call(url, **extra)
            )
            content, header = response.content, response.headers.get("WWW-Authenticate")
        else:
            response = fastapi.request(method, url, json=body, headers=headers)
            content, header = response.content, response.headers.get("www-authenticate")
        try:
            data = json.loads(content) if content else None
        except ValueError:
            data = content.decode(errors="replace")[:200]
        pair.append([response.status_code, seen(data) if seen else data, header])
    answers.append([f"{method} {url}", *pair])
    return pair[0][1]


ask("POST", "/login/", {"username": "ann", "password": "wrong"})
ask("POST", "/login/", {"username": "ann"})
key = ask("POST", "/login/", {"username": "ann", "password": "correct horse 1"})["key"]
ask("GET", "/login/")
ask("GET", "/user/")
ask("GET", "/user/", token="not-a-token")
ask("GET", "/user/", token=key)
ask("PATCH", "/user/", {"first_name": "Ann"}, token=key)
ask("PATCH", "/user/", {"username": ""}, token=key)
ask("POST", "/password/change/", {"new_password1": "a", "new_password2": "b"}, token=key)
ask("POST", "/password/reset/", {"email": "not an email"})
ask("POST", "/password/reset/", {"email": "nobody@example.com"})
ask("POST", "/password/reset/confirm/", {"uid": "x", "token": "y", "new_password1": "p"})
ask("GET", "/mfa/status", token=key)
from datetime import datetime, timezone

from dj_rest_auth.mfa.models import Authenticator

ann = User.objects.get(username="ann")
Authenticator.objects.create(user=ann, type="totp", data={"secret": "s"})
used = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)
Authenticator.objects.create(user=ann, type="recovery_codes", data={}, last_used_at=used)
ask("GET", "/mfa/status", token=key)
ask("POST", "/logout")
import pyotp

from dj_rest_auth.mfa.utils import create_totp_activation_token

SEED = "00" * 32


def authenticators(kept):
    # ann's authenticators: type, the recovery codes row prepared or another, data keys, mask
    rows = Authenticator.objects.filter(user=ann).order_by("type")
    return [
        [a.type, "kept" if a.id == kept.id else "other", sorted(a.data), a.data.get("used_mask")]
        for a in rows
    ]


def recovery_codes_only():
    # MFA off, a recovery codes row left from before: TOTP.activate creates its row,
    # RecoveryCodes.activate updates the one there
    Authenticator.objects.filter(user=ann).delete()
    codes = Authenticator.objects.create(
        user=ann, type="recovery_codes", data={"seed": SEED, "used_mask": 3}
    )
    secret = pyotp.random_base32()
    token = create_totp_activation_token(ann, secret)
    body = {"activation_token": token, "code": pyotp.TOTP(secret).now()}
    return key, body, lambda data: [len(data["recovery_codes"]), authenticators(codes)]


def mfa_on():
    Authenticator.objects.filter(user=ann).delete()
    Authenticator.objects.create(user=ann, type="totp", data={"secret": "s"})
    codes = Authenticator.objects.create(
        user=ann, type="recovery_codes", data={"seed": SEED, "used_mask": 3}
    )
    return key, {}, lambda data: [len(data["codes"]), authenticators(codes)]


def own_token():
    token = Token.objects.get_or_create(user=ann)[0].key
    return token, None, lambda data: [data, Token.objects.filter(user=ann).exists()]


ask("POST", "/mfa/totp/activate", each=recovery_codes_only)
ask("POST", "/mfa/recovery-codes/regenerate", each=mfa_on)
ask("POST", "/logout", each=own_token)
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[list[Any]]:
    found: list[list[Any]] = asked_both(
        REST_AUTH, tmp_path_factory.mktemp("rest-auth-blackbox"), PACKAGE, ASK_BOTH
    )
    return found


def test_every_request_is_answered_alike_by_django_and_the_generated_app(
    answers: list[list[Any]],
) -> None:
    different = [(request, ours, theirs) for request, theirs, ours in answers if ours != theirs]
    assert different == []
    assert len(answers) == 19


def test_the_requests_reach_drfs_refusals_and_successes(answers: list[list[Any]]) -> None:
    statuses = [django[0] for _, django, _ in answers]
    # bad and incomplete logins, a good one (a session and a token), GET on a POST view; the
    # user by session, by a wrong token (Session comes first: 403, no challenge), by token,
    # updated and refused; password change refused, reset refused and sent, confirm refused;
    # MFA status off, then on; logout; MFA activated, recovery codes regenerated, logout by
    # token
    assert statuses == [
        400, 400, 200, 405, 200, 403, 200, 200, 400, 400, 400, 200, 400, 200, 200, 200, 200,
        200, 200,
    ]  # fmt: skip
    assert answers[5][1] == [403, {"detail": "Invalid token."}, None]
    assert answers[8][1][1] == {"username": ["This field may not be blank."]}


def test_the_mfa_status_reads_the_authenticators_on_the_session(answers: list[list[Any]]) -> None:
    """`MFAStatusView.get`'s two queries run as select() on the generated app (the `.get()` and
    the `Max` aggregate), and answer as Django's: off, then on with the recovery codes' last
    use."""
    off, on = answers[13][1][1], answers[14][1][1]
    assert off == {"mfa_enabled": False, "created_at": None, "last_used_at": None}
    assert on["mfa_enabled"] is True
    assert on["last_used_at"] == "2026-01-02T03:04:05.678000Z"


def test_mfa_activation_and_regeneration_write_the_authenticators_on_the_session(
    answers: list[list[Any]],
) -> None:
    """`TOTP.activate` and `RecoveryCodes.activate` (`update_or_create`) run as their twins on
    SQLAlchemy in the generated app: from the same rows, each side creates the TOTP row and
    updates the recovery codes row in place (same id, `used_mask` back to 0), and answers ten
    codes."""
    rows = [
        ["recovery_codes", "kept", ["seed", "used_mask"], 0],
        ["totp", "other", ["secret"], None],
    ]
    activated, regenerated = answers[16], answers[17]
    assert activated[0] == "POST /mfa/totp/activate"
    assert activated[1][1] == activated[2][1] == [10, rows]
    assert regenerated[0] == "POST /mfa/recovery-codes/regenerate"
    assert regenerated[1][1] == regenerated[2][1] == [10, rows]


def test_logout_by_token_deletes_the_token_on_the_session(answers: list[list[Any]]) -> None:
    """`LogoutView.logout`'s `request.user.auth_token.delete()` runs on SQLAlchemy in the
    generated app (authtoken's Token on `authtoken_token`): each side is given its own token,
    and each deletes it."""
    request, django, fastapi = answers[18]
    assert request == "POST /logout"
    assert django == fastapi == [200, [{"detail": "Successfully logged out."}, False], None]
