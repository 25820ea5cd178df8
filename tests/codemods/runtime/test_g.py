"""`g` on the migrated side has the API of Flask's `g`, per request."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask import g as legacy_g

from codemods.runtime.flask.context import fresh_g, g


def exercise(space: Any) -> list[object]:
    """The same uses on Flask's `g` and on the runtime's."""
    seen: list[object] = ["db" in space]
    space.db = "connection"
    seen += ["db" in space, space.get("db"), space.get("missing", 0)]
    seen += [space.setdefault("user", "anna"), space.setdefault("user", "bob")]
    seen += [sorted(space), space.pop("db"), space.pop("db", None), "db" in space]
    return seen


def test_the_runtime_g_answers_as_flask_s_g() -> None:
    with Flask(__name__).app_context():
        expected = exercise(legacy_g)
    fresh_g()
    assert exercise(g) == expected


def test_popping_a_missing_name_without_a_default_raises_key_error() -> None:
    fresh_g()
    with pytest.raises(KeyError):
        g.pop("db")


def test_each_request_starts_with_an_empty_g() -> None:
    fresh_g()
    g.user = "anna"
    fresh_g()
    assert "user" not in g and list(g) == []
