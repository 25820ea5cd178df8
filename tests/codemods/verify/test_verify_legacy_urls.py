"""Path parameters of the legacy side: the rule's defaults, a row of the database, a sample."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from codemods.flask.verify_legacy import url


def app_with(*rules: tuple[str, str, dict[str, Any] | None]) -> Flask:
    app = Flask(__name__)
    views = {endpoint: lambda **_: "" for _, endpoint, _ in rules}
    for rule, endpoint, defaults in rules:
        app.add_url_rule(rule, endpoint, views[endpoint], defaults=defaults)
    return app


def test_the_rule_with_defaults_is_used() -> None:
    app = app_with(("/pages/", "pages", {"page": 1}), ("/pages/<int:page>", "pages", None))
    assert url(app, "pages", "GET") == "/pages/"


def test_an_id_comes_from_a_row_of_the_table_it_names() -> None:
    app = app_with(("/products/<int:product_id>", "product", None))
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = SQLAlchemy(app)

    class Product(db.Model):  # type: ignore[name-defined,misc]
        id = db.Column(db.Integer, primary_key=True)

    with app.app_context():
        db.create_all()
        db.session.add(Product(id=7))
        db.session.commit()
        assert url(app, "product", "GET") == "/products/7"


def test_a_converter_sample_otherwise() -> None:
    app = app_with(("/items/<int:item_id>", "item", None), ("/tags/<name>", "tag", None))
    assert url(app, "item", "GET") == "/items/1"
    assert url(app, "tag", "GET") == "/tags/x"


def test_an_unknown_endpoint_has_no_url() -> None:
    assert url(app_with(("/a", "a", None)), "b", "GET") is None


def test_a_default_another_rule_gives_the_same_argument_is_used() -> None:
    app = app_with(
        ("/", "queues", {"instance_number": 0}),
        ("/<int:instance_number>/view/workers", "workers", None),
    )
    assert url(app, "workers", "GET") == "/0/view/workers"


def test_a_default_the_converter_refuses_is_not_used() -> None:
    app = app_with(
        ("/", "queues", {"instance_number": "all"}),
        ("/<int:instance_number>/view/workers", "workers", None),
    )
    assert url(app, "workers", "GET") == "/1/view/workers"
