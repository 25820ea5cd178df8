"""The runtime's `DjangoUser` covers what migrated/django_blog/django_auth.py (hand-written, to be
replaced by this runtime) does: for the same cookie, on the same database, both find the same
user or none. Where the hand-written code is weaker, the runtime does what Django does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from migrated.django_blog.django_auth import logged_in_user
from tests.codemods.runtime.django.sides import (
    django_cookies,
    log_in_on_django,
    to_fastapi,
    whoami,
)


@pytest.fixture
def sqlalchemy_session() -> Iterator[Session]:
    """A SQLAlchemy session on Django's test database, as the migrated app opens one."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # the in-memory test database is a shared-cache URI ("file:...?mode=memory&cache=shared")
        uri = name.startswith("file:")
        url = (
            f"sqlite:///{name}{'&' if '?' in name else '?'}uri=true" if uri else f"sqlite:///{name}"
        )
    else:
        db = connection.settings_dict
        url = f"postgresql+psycopg://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    engine = create_engine(url, poolclass=NullPool)
    with Session(engine) as session:
        yield session
    engine.dispose()


def both_sides(django_client, fastapi_client, sqlalchemy_session) -> tuple[str | None, str | None]:
    """The username each finds for the browser's session cookie (None: anonymous)."""
    to_fastapi(django_client, fastapi_client)
    cookie = django_cookies(django_client).get(settings.SESSION_COOKIE_NAME)
    sqlalchemy_session.expire_all()
    hand_written = logged_in_user(sqlalchemy_session, cookie, settings.SECRET_KEY)
    return (hand_written.username if hand_written else None), whoami(fastapi_client)


def test_both_find_the_logged_in_user(django_client, fastapi_client, account, sqlalchemy_session):
    log_in_on_django(django_client, account.username, account.password)

    assert both_sides(django_client, fastapi_client, sqlalchemy_session) == (
        account.username,
        account.username,
    )


def test_both_drop_a_user_whose_password_changed(
    django_client, fastapi_client, account, sqlalchemy_session
):
    from django.contrib.auth.models import User

    log_in_on_django(django_client, account.username, account.password)
    user = User.objects.get(username=account.username)
    user.set_password("changed")
    user.save()

    assert both_sides(django_client, fastapi_client, sqlalchemy_session) == (None, None)


def test_both_drop_an_inactive_user(django_client, fastapi_client, account, sqlalchemy_session):
    from django.contrib.auth.models import User

    log_in_on_django(django_client, account.username, account.password)
    User.objects.filter(username=account.username).update(is_active=False)

    assert both_sides(django_client, fastapi_client, sqlalchemy_session) == (None, None)


def test_both_drop_an_expired_session(django_client, fastapi_client, account, sqlalchemy_session):
    from django.contrib.sessions.models import Session as DjangoSession

    log_in_on_django(django_client, account.username, account.password)
    DjangoSession.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert both_sides(django_client, fastapi_client, sqlalchemy_session) == (None, None)


def test_both_drop_a_tampered_cookie(django_client, fastapi_client, account, sqlalchemy_session):
    log_in_on_django(django_client, account.username, account.password)
    cookie = django_cookies(django_client)[settings.SESSION_COOKIE_NAME]
    django_client.cookies[settings.SESSION_COOKIE_NAME] = cookie[::-1]

    assert both_sides(django_client, fastapi_client, sqlalchemy_session) == (None, None)


def test_the_runtime_also_honours_secret_key_fallbacks_where_the_hand_written_code_does_not(
    runtime_settings, django_client, fastapi_client, account, sqlalchemy_session
):
    own_secret = runtime_settings.SECRET_KEY
    runtime_settings.SECRET_KEY = "the-previous-secret-key-of-this-project-0123456789"
    log_in_on_django(django_client, account.username, account.password)
    runtime_settings.SECRET_KEY_FALLBACKS = [runtime_settings.SECRET_KEY]
    runtime_settings.SECRET_KEY = own_secret

    assert both_sides(django_client, fastapi_client, sqlalchemy_session) == (
        None,
        account.username,
    )
