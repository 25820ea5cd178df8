from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from proxy.parity.state import SqliteState


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT);"
            "CREATE TABLE log (line TEXT);"
            "INSERT INTO item VALUES (1, 'a'), (2, 'b');"
        )
    connection.close()
    return path


def execute(path: Path, sql: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute(sql)
    connection.commit()
    connection.close()


def names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [n for (n,) in connection.execute("SELECT name FROM item ORDER BY id")]
    finally:
        connection.close()


def test_no_write_means_no_change(db: Path) -> None:
    state = SqliteState(db)
    assert not state.changes()


def test_changes_list_inserted_updated_and_deleted_rows(db: Path) -> None:
    state = SqliteState(db)
    execute(db, "INSERT INTO item VALUES (3, 'c')")
    execute(db, "UPDATE item SET name = 'z' WHERE id = 1")
    execute(db, "DELETE FROM item WHERE id = 2")
    execute(db, "INSERT INTO log VALUES ('x')")
    changes = state.changes()
    assert changes.summary() == {
        "item": {"inserted": 1, "updated": 1, "deleted": 1},
        "log": {"inserted": 1, "updated": 0, "deleted": 0},
    }
    assert changes.tables["item"].updated == {"id=1": {"id": 1, "name": "z"}}
    assert list(changes.tables["log"].inserted) == ["rowid=1"]


def test_reset_restores_the_checkpoint_even_with_an_open_connection(db: Path) -> None:
    state = SqliteState(db)
    held = sqlite3.connect(db)
    execute(db, "DELETE FROM item")
    state.changes()
    state.reset()
    assert [n for (n,) in held.execute("SELECT name FROM item ORDER BY id")] == ["a", "b"]
    held.close()


def test_close_puts_back_the_original_content(db: Path) -> None:
    state = SqliteState(db)
    execute(db, "INSERT INTO item VALUES (3, 'c')")
    state.checkpoint()  # e.g. after logins
    execute(db, "INSERT INTO item VALUES (4, 'd')")
    state.reset()
    assert names(db) == ["a", "b", "c"]
    state.close()
    assert names(db) == ["a", "b"]


def test_missing_database_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SqliteState(tmp_path / "absent.db")
