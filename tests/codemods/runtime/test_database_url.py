"""Which database the migrated views use: the legacy app's, found as Flask-SQLAlchemy finds it."""

import pytest
from fastapi import FastAPI
from starlette.requests import Request

from codemods.runtime.flask.database import url_for_app


def request_of(config: dict[str, str] | None) -> Request:
    app = FastAPI()
    if config is not None:
        app.state.config = config
    return Request({"type": "http", "app": app, "headers": []})


@pytest.fixture(autouse=True)
def no_database_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRANGLER_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_the_apps_configured_uri_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:///app.db"}
    assert url_for_app(request_of(config)) == "sqlite:///app.db"


def test_strangler_database_url_overrides_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRANGLER_DATABASE_URL", "sqlite:///other.db")
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:///app.db"}
    assert url_for_app(request_of(config)) == "sqlite:///other.db"


def test_without_a_config_database_url_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert url_for_app(request_of(None)) == "postgresql+psycopg://u@h/db"


def test_with_nothing_set_it_is_an_in_memory_sqlite_database() -> None:
    assert url_for_app(request_of(None)) == "sqlite://"
