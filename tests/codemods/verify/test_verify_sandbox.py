"""Verification touches nothing of the user's: the legacy tree, its instance folder, its
database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.codemods.verify.support import convert, legacy_app, routes, verify

APP = """
import os
import sqlite3

from flask import Flask


def create_app():
    app = Flask(__name__)
    os.makedirs(app.instance_path, exist_ok=True)
    with open(os.path.join(app.instance_path, "started"), "w") as marker:
        marker.write("x")
    connection = sqlite3.connect(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    connection.execute("insert into visits values (1)")
    connection.commit()
    from .views import bp

    app.register_blueprint(bp)
    return app
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_verification_writes_nothing_of_the_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "user.db"
    with sqlite3.connect(database) as connection:
        connection.execute("create table visits (n integer)")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    legacy = legacy_app(tmp_path, app=APP)
    result, out = convert(legacy, tmp_path)
    before = snapshot(tmp_path / "legacy"), database.read_bytes()
    verify(result, out, legacy)
    assert routes(result)["hello"].verified is not None  # it ran
    assert (snapshot(tmp_path / "legacy"), database.read_bytes()) == before
    assert not (tmp_path / "legacy" / "instance").exists()
    assert not list(out.rglob("__pycache__"))
