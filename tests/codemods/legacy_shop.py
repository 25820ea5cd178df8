"""The real legacy flask_shop on a fresh seeded SQLite file, and a client logged in through its
own login form (CSRF off: the form is posted by the test, not a browser)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

ALICE = {"email": "alice@example.com", "password": "alice-password"}
SECRET = "bridge-test-secret"


@dataclass
class LegacyShop:
    app: Flask
    database_url: str

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def logged_in(
        self, remember: bool = False, headers: dict[str, str] | None = None
    ) -> FlaskClient:
        client = self.client()
        form: dict[str, Any] = dict(ALICE)
        if remember:
            form["remember"] = "y"
        answer = client.post("/auth/login", data=form, headers=headers)
        assert answer.status_code == 302, answer.get_data(as_text=True)
        return client


def legacy_shop(folder: Path, **config: Any) -> LegacyShop:
    from legacy_examples.flask_shop import create_app
    from legacy_examples.flask_shop.seed import seed_database

    database_url = f"sqlite:///{folder / 'shop.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "SECRET_KEY": SECRET,
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )
    seed_database(app)
    return LegacyShop(app, database_url)


def cookie(client: FlaskClient, name: str = "session") -> str:
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value
