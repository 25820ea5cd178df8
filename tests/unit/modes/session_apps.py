"""A legacy Flask app with a signed-cookie session naming its user (as flask-login does), for
the canary's per-user stickiness."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, session

legacy = Flask("canary_session_legacy")
legacy.config["SECRET_KEY"] = "the canary session tests' key"


@legacy.get("/api/items")
def items() -> Any:
    return jsonify(side="legacy", user=session.get("_user_id"))


@legacy.get("/api/old")
def old() -> Any:
    return jsonify(side="legacy")


def session_cookie(user_id: str, key: str = "_user_id") -> str:
    """The session cookie the legacy app would set once `user_id` signed in."""
    serializer = legacy.session_interface.get_signing_serializer(legacy)  # type: ignore[attr-defined]
    return f"session={serializer.dumps({key: user_id})}"
