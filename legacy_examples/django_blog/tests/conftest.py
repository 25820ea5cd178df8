"""Fixtures of the blog suite: one set of tests, run in-process or over HTTP.

In-process (the default), each test gets Django's test `Client` behind a small adapter with the
httpx calling convention, on a test database seeded once per session (`manage.py seed`'s data).
With `--base-url`, each test gets an `httpx.Client` for that server, whose database must have been
migrated and seeded; nothing is rolled back there, so tests create what they change.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from legacy_examples.django_blog.blog.demo_data import ADMIN, ALICE, BOB, DemoUser

from .helpers import login

Http = Any  # httpx.Client, or DjangoClientAdapter (the same calling convention)


class AdaptedResponse:
    """The parts of an httpx.Response the suite reads, taken from a Django test response."""

    def __init__(self, response: Any) -> None:
        self.status_code: int = response.status_code
        self.headers: Mapping[str, str] = response.headers
        self.content: bytes = b"".join(response) if response.streaming else response.content
        self.charset: str = response.charset or "utf-8"

    @property
    def text(self) -> str:
        return self.content.decode(self.charset)

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class DjangoClientAdapter:
    """Django's test Client called like httpx: `.get(path, params=..., headers=...)` and so on."""

    def __init__(self) -> None:
        from django.test import Client

        # as in production: the test client would otherwise skip CSRF checks
        self._client = Client(enforce_csrf_checks=True)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AdaptedResponse:
        body, content_type = "", "application/octet-stream"
        if json is not None:
            body, content_type = jsonlib.dumps(json), "application/json"
        elif data is not None:
            body, content_type = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        response = self._client.generic(
            method.upper(),
            path,
            data=body,
            content_type=content_type,
            headers=dict(headers or {}),
            query_params=dict(params or {}),
        )
        return AdaptedResponse(response)

    def get(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("GET", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("HEAD", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        pass


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say how the suite ran (also under -q), so a caller can check it ran the way it asked."""
    base_url = config.getoption("--base-url")
    if base_url:
        terminalreporter.write_line(f"django_blog suite: over HTTP against {base_url}")
    else:
        from django.db import connection

        terminalreporter.write_line(f"django_blog suite: in-process on {connection.vendor}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In-process, every test of this suite runs on the test database (rolled back after each)."""
    if config.getoption("--base-url"):
        return
    suite = Path(__file__).parent
    for item in items:
        if suite in item.path.parents:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, seeded like `manage.py seed` seeds a real one."""
    from legacy_examples.django_blog.blog.seeding import seed

    with django_db_blocker.unblock():
        seed()


@pytest.fixture
def make_client(base_url: str | None) -> Iterator[Callable[[], Http]]:
    """A factory of fresh clients (each with its own cookies) for the chosen way of running."""
    clients: list[Http] = []

    def make() -> Http:
        client: Http
        if base_url is None:
            client = DjangoClientAdapter()
        else:
            client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=30.0)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _logged_in(make_client: Callable[[], Http], user: DemoUser) -> Http:
    client = make_client()
    login(client, user.username, user.password)
    return client


@pytest.fixture
def http(make_client: Callable[[], Http]) -> Http:
    """An anonymous client."""
    return make_client()


@pytest.fixture
def alice(make_client: Callable[[], Http]) -> Http:
    """A client with alice's session (a normal user)."""
    return _logged_in(make_client, ALICE)


@pytest.fixture
def bob(make_client: Callable[[], Http]) -> Http:
    """A client with bob's session (a normal user)."""
    return _logged_in(make_client, BOB)


@pytest.fixture
def admin(make_client: Callable[[], Http]) -> Http:
    """A client with the admin's session (staff and superuser)."""
    return _logged_in(make_client, ADMIN)
