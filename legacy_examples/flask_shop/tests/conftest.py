"""The `client` every test uses: Flask's test client in-process, or httpx over HTTP.

In-process, one app per test session on a fresh SQLite file (or on `DATABASE_URL` when set, e.g. a
fresh PostgreSQL database), seeded with the demo data. Over HTTP (`--base-url`), the server's
database is shared by all tests: tests only modify what they create, with unique names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from legacy_examples.flask_shop import create_app
from legacy_examples.flask_shop.seed import seed_database

from .adapter import FlaskClientAdapter
from .helpers import ADMIN, Client, log_in


@pytest.fixture(scope="session")
def app(base_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if base_url:
        yield None
        return
    workdir: Path = tmp_path_factory.mktemp("flask_shop")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'shop.db'}"
    flask_app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(workdir / "uploads")}
    )
    seed_database(flask_app)
    yield flask_app
    from legacy_examples.flask_shop.extensions import db

    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Any, base_url: str | None) -> Iterator[Client]:
    """A fresh client (its own cookie jar) for each test."""
    if base_url:
        with httpx.Client(base_url=base_url, follow_redirects=False, timeout=30.0) as http:
            yield http
    else:
        yield FlaskClientAdapter(app.test_client())


@pytest.fixture
def make_client(app: Any, base_url: str | None) -> Iterator[Any]:
    """A factory for more clients when a test needs two users at once."""
    opened: list[httpx.Client] = []

    def factory() -> Client:
        if base_url:
            http = httpx.Client(base_url=base_url, follow_redirects=False, timeout=30.0)
            opened.append(http)
            return http
        return FlaskClientAdapter(app.test_client())

    yield factory
    for http in opened:
        http.close()


@pytest.fixture
def admin(client: Client) -> Client:
    """The client, logged in as the seeded admin."""
    log_in(client, **ADMIN)
    return client


def pytest_configure(config: pytest.Config) -> None:
    # The shop uses (value, label) tuples for SelectField choices, as Flask apps do; WTForms 3.3
    # warns about it (pyproject keeps wtforms < 3.4, where it still works).
    config.addinivalue_line(
        "filterwarnings", "ignore:Passing SelectField choices as tuples:DeprecationWarning"
    )
