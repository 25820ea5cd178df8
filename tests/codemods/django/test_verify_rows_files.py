"""The form pass reads and puts back the sandbox's SQLite files (codemods/django/verify_rows.py)
around every submission: a reader kept for the child's run sees every write made to the file,
and a database nothing wrote since it was put back is not copied again."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from codemods.django import verify_rows


def database(path: Path, rows: int) -> Path:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY)")
        connection.execute("DELETE FROM item")
        connection.executemany("INSERT INTO item VALUES (?)", [(i,) for i in range(rows)])
    connection.close()
    return path


def count(connection: sqlite3.Connection) -> int:
    return int(connection.execute("SELECT count(*) FROM item").fetchone()[0])


def test_a_kept_reader_sees_what_was_written_after_it_opened(tmp_path: Path) -> None:
    path = database(tmp_path / "default.sqlite3", 1)
    assert count(verify_rows.reader(str(path))) == 1
    database(path, 3)
    assert count(verify_rows.reader(str(path))) == 3


def test_a_file_made_anew_gets_a_reader_of_its_own(tmp_path: Path) -> None:
    path = database(tmp_path / "default.sqlite3", 1)
    first = verify_rows.reader(str(path))
    path.unlink()
    database(path, 2)
    assert verify_rows.reader(str(path)) is not first
    assert count(verify_rows.reader(str(path))) == 2


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sandbox database of 1 row, kept as `keep` keeps it."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    path = database(tmp_path / "default.sqlite3", 1)
    monkeypatch.setattr(verify_rows, "_files", lambda: [("default", str(path))])
    monkeypatch.setattr(verify_rows, "PUT_BACK", {})
    verify_rows.keep()
    return path


def test_a_written_database_is_put_back_as_it_was_kept(kept: Path) -> None:
    database(kept, 5)
    verify_rows.put_back()
    assert count(verify_rows.reader(str(kept))) == 1


def test_a_database_nothing_wrote_since_it_was_put_back_is_left_as_it_is(kept: Path) -> None:
    verify_rows.put_back()
    # dated a second back, as put back then: a copy made now would date it now
    put_back = kept.stat().st_mtime_ns - 1_000_000_000
    os.utime(kept, ns=(put_back, put_back))
    verify_rows.PUT_BACK[str(kept)] = verify_rows._written_mark(str(kept))
    verify_rows.put_back()
    assert kept.stat().st_mtime_ns == put_back
    database(kept, 4)
    verify_rows.put_back()
    assert count(verify_rows.reader(str(kept))) == 1
