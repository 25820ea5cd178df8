"""The user id a Flask legacy session names, read with the legacy app's own serializer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

from flask import Flask

from proxy.session_user import DjangoSessionUsers, session_user_reader
from tests.unit.modes.session_apps import legacy, session_cookie


def cookies_of(header: str) -> dict[str, str]:
    name, _, value = header.partition("=")
    return {name: value}


def reader_of(app: Flask, cookie_name: str | None = None) -> Callable[..., str | None]:
    read = session_user_reader(app, cookie_name)
    assert read is not None

    def user_id(cookies: Mapping[str, str]) -> str | None:
        return asyncio.run(read(cookies))  # type: ignore[arg-type]

    return user_id


def test_flask_login_and_plain_user_ids_are_read() -> None:
    read = reader_of(legacy)

    assert read(cookies_of(session_cookie("42"))) == "42"
    assert read(cookies_of(session_cookie("7", key="user_id"))) == "7"


def test_no_session_a_forged_one_or_one_without_a_user_names_nobody() -> None:
    read = reader_of(legacy)

    assert read({}) is None
    assert read({"session": "eyJfdXNlcl9pZCI6IjQyIn0.forged.sig"}) is None
    assert read(cookies_of(session_cookie("", key="_user_id"))) is None


def test_the_canary_section_can_name_the_session_cookie() -> None:
    read = reader_of(legacy, "renamed")
    value = session_cookie("42").partition("=")[2]

    assert read({"renamed": value}) == "42"
    assert read({"session": value}) is None


def test_an_app_without_a_secret_key_or_not_flask_is_not_read() -> None:
    assert session_user_reader(Flask("no_key")) is None
    assert session_user_reader(lambda environ, start_response: []) is None


class CountingSessions:
    """A Django session engine's SessionStore that counts its loads: `u<id>` keys name a user,
    `anon` none, `broken` raises (as a database that is down would)."""

    loads: list[str] = []

    def __init__(self, session_key: str) -> None:
        self.session_key = session_key

    def get(self, name: str) -> str | None:
        CountingSessions.loads.append(self.session_key)
        if self.session_key == "broken":
            raise ConnectionError("the session database is down")
        assert name == "_auth_user_id"
        return self.session_key[1:] if self.session_key.startswith("u") else None


def django_users(kept: int = 100) -> DjangoSessionUsers:
    CountingSessions.loads = []
    return DjangoSessionUsers(CountingSessions, "sessionid", kept, close_connections=lambda: None)


def test_a_django_session_is_looked_up_once_however_many_requests_carry_it() -> None:
    users = django_users()

    async def requests() -> list[str | None]:
        first = await asyncio.gather(*(users({"sessionid": "u7"}) for _ in range(50)))
        return [*first, *[await users({"sessionid": "u7"}) for _ in range(50)]]

    assert asyncio.run(requests()) == ["7"] * 100
    assert CountingSessions.loads == ["u7"]


def test_a_session_without_a_user_is_kept_too_and_no_cookie_asks_nothing() -> None:
    users = django_users()

    async def requests() -> list[str | None]:
        return [await users({"sessionid": "anon"}) for _ in range(3)] + [await users({})]

    assert asyncio.run(requests()) == [None] * 4
    assert CountingSessions.loads == ["anon"]


def test_the_kept_sessions_are_bounded_the_oldest_going_first() -> None:
    users = django_users(kept=2)

    async def requests() -> None:
        for key in ("u1", "u2", "u3", "u1"):
            await users({"sessionid": key})

    asyncio.run(requests())
    assert len(users.known) == 2
    assert CountingSessions.loads == ["u1", "u2", "u3", "u1"]


def test_a_lookup_that_fails_names_nobody_and_is_asked_again() -> None:
    users = django_users()

    async def requests() -> list[str | None]:
        return [await users({"sessionid": "broken"}) for _ in range(2)]

    assert asyncio.run(requests()) == [None, None]
    assert CountingSessions.loads == ["broken", "broken"]
