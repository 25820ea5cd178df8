"""`paginate` answers what Flask-SQLAlchemy's `db.paginate` answers, for the same arguments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from werkzeug.exceptions import NotFound

from codemods.runtime.flask.compat import LegacyResponse
from codemods.runtime.flask.pagination import paginate


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


CASES = [
    {"page": 1, "per_page": 10},
    {"page": 3, "per_page": 10},
    {"page": 9, "per_page": 10, "error_out": False},
    {"page": 0, "per_page": 10, "error_out": False},
    {"page": 2, "per_page": 0, "error_out": False},
    {"page": 1, "per_page": 1000, "max_per_page": 100},
    {"page": 2, "per_page": 7, "max_per_page": 5},
    {"page": 9, "per_page": 10},
    {"page": 0, "per_page": 10},
    {"page": 1, "per_page": -1},
]
FIELDS = ("page", "per_page", "total", "pages", "has_next", "has_prev", "next_num", "prev_num")


@pytest.fixture(scope="module")
def flask_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, SQLAlchemy, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'items.db'}"
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db = SQLAlchemy(app, model_class=Base)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        db.session.add_all([Item(id=n) for n in range(1, 24)])
        db.session.commit()
    yield app, db, url


def legacy(app: Flask, db: SQLAlchemy, args: dict[str, Any]) -> Any:
    with app.test_request_context():
        try:
            result = db.paginate(select(Item).order_by(Item.id), **args)
        except NotFound:
            return 404
        return {f: getattr(result, f) for f in FIELDS} | {"ids": [i.id for i in result.items]}


def migrated(url: str, args: dict[str, Any]) -> Any:
    from sqlalchemy import create_engine

    with Session(create_engine(url)) as session:
        try:
            result = paginate(session, select(Item).order_by(Item.id), **args)
        except LegacyResponse as answer:
            return answer.response.status_code
        return {f: getattr(result, f) for f in FIELDS} | {"ids": [i.id for i in result.items]}


@pytest.mark.parametrize("args", CASES, ids=[str(c) for c in CASES])
def test_paginate_answers_like_flask_sqlalchemy(
    flask_db: tuple[Flask, SQLAlchemy, str], args: dict[str, Any]
) -> None:
    app, db, url = flask_db
    assert migrated(url, args) == legacy(app, db, args)
