"""The sandbox's state folders, saved after the legacy app is prepared and put back before the
new side runs: both sides start from the same state. And errors name the sandbox's paths from
`<sandbox>`, the same on every run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from codemods.engine.verify import probe
from codemods.engine.verify.state_folders import restore_state, save_state


def make_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE bookmark (url TEXT)")
    connection.execute("INSERT INTO bookmark VALUES ('https://example.org')")
    connection.commit()
    connection.close()


def test_a_connection_opened_before_the_put_back_reads_the_saved_rows(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    make_database(work / "bookmarks.db")
    saved = save_state([str(work)])
    held = sqlite3.connect(work / "bookmarks.db")  # the generated app's, opened while built
    assert held.execute("SELECT count(*) FROM bookmark").fetchone() == (1,)
    legacy = sqlite3.connect(work / "bookmarks.db")
    legacy.execute("DELETE FROM bookmark")  # the legacy side's DELETE /api/bookmarks
    legacy.commit()
    legacy.close()

    restore_state(saved)

    assert held.execute("SELECT count(*) FROM bookmark").fetchone() == (1,)
    held.close()


def test_a_changed_file_is_put_back_and_an_added_one_removed(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "uploads").mkdir(parents=True)
    (work / "settings.txt").write_text("before")
    saved = save_state([str(work)])
    (work / "settings.txt").write_text("after")
    (work / "uploads" / "new.png").write_bytes(b"png")
    (work / "cache").mkdir()

    restore_state(saved)

    assert (work / "settings.txt").read_text() == "before"
    assert sorted(p.relative_to(work).as_posix() for p in work.rglob("*")) == [
        "settings.txt",
        "uploads",
    ]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc's open files")
def test_a_database_the_calls_added_and_this_process_holds_open_is_kept(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    saved = save_state([str(work)])
    held = sqlite3.connect(work / "monitoring.db")  # created by the legacy side's first request
    held.execute("CREATE TABLE endpoint (name TEXT)")
    held.commit()
    make_database(work / "closed.db")  # added too, and closed

    restore_state(saved)

    assert (work / "monitoring.db").exists()  # removed, `held` would go on in a deleted file
    assert not (work / "closed.db").exists()
    assert held.execute("SELECT count(*) FROM endpoint").fetchone() == (0,)
    held.close()


def test_a_folder_missing_when_saved_is_removed(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    saved = save_state([str(instance)])
    instance.mkdir()
    (instance / "app.db").write_bytes(b"")

    restore_state(saved)

    assert not instance.exists()


def test_a_database_in_wal_mode_is_put_back_under_its_open_connection(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = work / "app.db"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.close()
    make_database(path)
    held = sqlite3.connect(path)
    held.execute("SELECT count(*) FROM bookmark").fetchone()  # the -wal and -shm files exist
    saved = save_state([str(work)])
    held.execute("INSERT INTO bookmark VALUES ('https://example.com')")
    held.commit()

    restore_state(saved)

    assert held.execute("SELECT url FROM bookmark").fetchall() == [("https://example.org",)]
    held.close()


def test_an_error_naming_a_sandbox_path_names_it_from_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # flask-monitoringdashboard's size of a database file the new side never created
    monkeypatch.setattr(probe, "SANDBOX", [str(tmp_path)])
    missing = tmp_path / "work" / "dashboard.db"
    try:
        missing.stat()
    except FileNotFoundError as error:
        text = probe.error_text(error)
    assert "'<sandbox>/work/dashboard.db'" in text
    assert str(tmp_path) not in text
