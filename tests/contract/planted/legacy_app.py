"""The legacy side: a small Flask JSON API on the shared SQLite database (stdlib sqlite3)."""

from __future__ import annotations

import os
import re
import sqlite3
import uuid
from datetime import datetime
from typing import Any

from flask import Flask, g, jsonify, request

NAME = re.compile(r"[a-z]{1,20}")
DIGITS = re.compile(r"[0-9]+")


def invalid() -> tuple[Any, int]:
    return jsonify(error="invalid request"), 400


def not_found() -> tuple[Any, int]:
    return jsonify(error="not found"), 404


def valid_int(value: Any, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def valid_name(value: Any) -> bool:
    return isinstance(value, str) and NAME.fullmatch(value) is not None


def create_app() -> Flask:
    app = Flask(__name__)
    database = os.environ["PLANTED_DB"]

    def db() -> sqlite3.Connection:
        if "db" not in g:
            g.db = sqlite3.connect(database)
            g.db.row_factory = sqlite3.Row
        return g.db

    @app.teardown_appcontext
    def close_db(_: BaseException | None) -> None:
        connection = g.pop("db", None)
        if connection is not None:
            connection.close()

    @app.errorhandler(404)
    def handle_404(_: Exception) -> Any:
        return not_found()

    @app.errorhandler(405)
    def handle_405(_: Exception) -> Any:
        return jsonify(error="method not allowed"), 405

    def body() -> dict[str, Any] | None:
        subtype = request.mimetype.rpartition("/")[2]
        if request.mimetype and subtype != "json" and not subtype.endswith("+json"):
            return None
        data = request.get_json(force=True, silent=True)
        return data if isinstance(data, dict) else None

    @app.get("/api/ping")
    def ping() -> Any:
        return jsonify(ok=True, at=datetime.now().isoformat(), request_id=uuid.uuid4().hex)

    @app.get("/api/products")
    def products() -> Any:
        rows = db().execute("SELECT id, name, stock FROM products ORDER BY id").fetchall()
        return jsonify(items=[dict(row) for row in rows])

    @app.get("/api/products/<product_id>")
    def product(product_id: str) -> Any:
        if not DIGITS.fullmatch(product_id):
            return not_found()
        row = (
            db()
            .execute(
                "SELECT id, name, description, price FROM products WHERE id = ?", (int(product_id),)
            )
            .fetchone()
        )
        return jsonify(dict(row)) if row else not_found()

    @app.post("/api/tags")
    def create_tag() -> Any:
        data = body()
        if data is None or not valid_name(data.get("name")):
            return invalid()
        cursor = db().execute("INSERT INTO tags (name) VALUES (?)", (data["name"],))
        db().commit()
        return jsonify(id=cursor.lastrowid, name=data["name"]), 201

    @app.get("/api/profile")
    def profile() -> Any:
        row = (
            db()
            .execute(
                "SELECT username FROM sessions WHERE token = ?", (request.cookies.get("sid", ""),)
            )
            .fetchone()
        )
        if row is None:
            return jsonify(error="login required"), 401
        return jsonify(username=row["username"])

    @app.post("/api/reviews")
    def create_review() -> Any:
        data = body()
        if data is None or not valid_int(data.get("product_id"), 1, 1000):
            return invalid()
        if not valid_int(data.get("rating"), 1, 5):
            return invalid()
        cursor = db().execute(
            "INSERT INTO reviews (product_id, rating) VALUES (?, ?)",
            (data["product_id"], data["rating"]),
        )
        db().commit()
        return jsonify(
            id=cursor.lastrowid, product_id=data["product_id"], rating=data["rating"]
        ), 201

    @app.get("/api/orders/<order_id>")
    def order(order_id: str) -> Any:
        if not DIGITS.fullmatch(order_id):
            return not_found()
        row = db().execute("SELECT * FROM orders WHERE id = ?", (int(order_id),)).fetchone()
        return jsonify(dict(row)) if row else not_found()

    @app.get("/api/old-catalogue")
    def old_catalogue() -> Any:
        return "", 302, {"Location": "/api/products"}

    @app.post("/api/products/<product_id>/buy")
    def buy(product_id: str) -> Any:
        if not DIGITS.fullmatch(product_id):
            return not_found()
        row = db().execute("SELECT stock FROM products WHERE id = ?", (int(product_id),)).fetchone()
        if row is None:
            return not_found()
        if row["stock"] == 0:
            return jsonify(error="sold out"), 409
        db().execute("UPDATE products SET stock = stock - 1 WHERE id = ?", (int(product_id),))
        db().commit()
        return jsonify(id=int(product_id), stock=row["stock"] - 1)

    @app.post("/api/audit")
    def audit() -> Any:
        data = body()
        if data is None or not valid_name(data.get("action")):
            return invalid()
        db().execute("INSERT INTO audit (action) VALUES (?)", (data["action"],))
        db().commit()
        return jsonify(ok=True), 201

    @app.post("/api/login")
    def login() -> Any:
        data = body()
        if data is None or data.get("password") != "secret" or not valid_name(data.get("username")):
            return jsonify(error="bad credentials"), 401
        token = uuid.uuid4().hex
        db().execute("INSERT INTO sessions VALUES (?, ?)", (token, data["username"]))
        db().commit()
        response = jsonify(ok=True)
        response.set_cookie("sid", token, httponly=True, samesite="Lax")
        return response

    return app
