"""The verification's databases: the user's are never opened, each one becomes a SQLite file in
the sandbox (a copy of a SQLite file, an empty file in place of anything else)."""

from __future__ import annotations

from pathlib import Path

from codemods.django.verify_legacy import SQLITE_ENGINE, sandbox_databases


def test_a_sqlite_file_becomes_a_copy_in_the_sandbox(tmp_path: Path) -> None:
    users = tmp_path / "users.sqlite3"
    users.write_bytes(b"the user's data")
    databases = {
        "default": {"ENGINE": SQLITE_ENGINE, "NAME": str(users), "OPTIONS": {"timeout": 5}}
    }

    sandbox_databases(databases, tmp_path / "sandbox")

    copy = tmp_path / "sandbox" / "default.sqlite3"
    assert databases["default"] == {
        "ENGINE": SQLITE_ENGINE,
        "NAME": str(copy),
        "OPTIONS": {"timeout": 5},
    }
    assert copy.read_bytes() == b"the user's data"


def test_postgresql_and_a_missing_file_become_empty_sqlite_files(tmp_path: Path) -> None:
    databases = {
        "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "prod", "HOST": "db"},
        "other": {"ENGINE": SQLITE_ENGINE, "NAME": str(tmp_path / "missing.sqlite3")},
    }

    notes = sandbox_databases(databases, tmp_path / "sandbox")

    empty = str(tmp_path / "sandbox" / "default.sqlite3")
    assert databases["default"] == {"ENGINE": SQLITE_ENGINE, "NAME": empty, "OPTIONS": {}}
    assert databases["other"]["NAME"] == str(tmp_path / "sandbox" / "other.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()
    assert notes == [
        "default: an empty SQLite database (migrated)",
        "other: an empty SQLite database (migrated)",
    ]
