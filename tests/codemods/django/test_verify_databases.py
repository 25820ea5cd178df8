"""The verification's databases: the user's are never opened, each one becomes a SQLite file in
the sandbox (a copy of a SQLite file, an empty file in place of anything else); nor are its
cache servers, mail server or media folder; and passwords are hashed fast."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from codemods.django.verify_legacy import (
    FAST_HASHER,
    FILE_CACHE,
    LOCMEM_CACHE,
    LOCMEM_EMAIL,
    SQLITE_ENGINE,
    sandbox_databases,
    sandbox_hashers,
    sandbox_services,
)


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


def test_caches_on_a_server_become_local_memory_and_files_move_into_the_sandbox(
    tmp_path: Path,
) -> None:
    settings = SimpleNamespace(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"},
            "files": {"BACKEND": FILE_CACHE, "LOCATION": "/var/cache/site"},
            "db": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"},
        },
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        MEDIA_ROOT="/srv/media",
        SESSION_FILE_PATH=None,
    )

    sandbox_services(settings, tmp_path)

    assert settings.CACHES["default"]["BACKEND"] == LOCMEM_CACHE
    assert settings.CACHES["files"]["LOCATION"] == str(tmp_path / "cache" / "files")
    assert settings.CACHES["db"]["LOCATION"] == "t"  # the sandbox's database
    assert settings.EMAIL_BACKEND == LOCMEM_EMAIL
    assert Path(settings.MEDIA_ROOT) == tmp_path / "media"
    assert Path(settings.SESSION_FILE_PATH) == tmp_path / "sessions"


def test_new_passwords_are_hashed_fast_and_the_project_s_hashers_still_check_old_ones() -> None:
    project = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", FAST_HASHER]
    settings = SimpleNamespace(PASSWORD_HASHERS=project)

    sandbox_hashers(settings)

    assert settings.PASSWORD_HASHERS == [
        FAST_HASHER,
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
