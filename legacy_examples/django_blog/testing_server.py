"""Run the blog as a real server for tests: migrate, seed, then serve it with gunicorn.

    from legacy_examples.django_blog.testing_server import running_blog

    with running_blog(sqlite_path=tmp_path / "blog.sqlite3") as base_url:  # or database_url=...
        ...  # e.g. pytest legacy_examples/django_blog --base-url {base_url}

The pieces (`blog_environment`, `prepare_database`, `gunicorn_argv`) are usable on their own, for
example to put the blog behind another front with the same database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
REPO_ROOT = PROJECT_DIR.parents[1]
MANAGE_PY = PROJECT_DIR / "manage.py"
SETTINGS_MODULE = "legacy_examples.django_blog.config.settings"
WSGI_APP = "legacy_examples.django_blog.config.wsgi:application"
READY_PATH = "/api/tags/"


def blog_environment(
    *,
    database_url: str | None = None,
    sqlite_path: str | os.PathLike[str] | None = None,
    settings_module: str = SETTINGS_MODULE,
) -> dict[str, str]:
    """Environment variables that point the blog at one database (PostgreSQL URL or SQLite file),
    with the blog's settings or a module extending them (`settings_module`)."""
    if (database_url is None) == (sqlite_path is None):
        raise ValueError("give exactly one of database_url and sqlite_path")
    env = {"DJANGO_SETTINGS_MODULE": settings_module}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    else:
        env["DATABASE_URL"] = ""  # an inherited DATABASE_URL must not win over the SQLite file
        env["DJANGO_BLOG_DB"] = str(sqlite_path)
    return env


def manage(*args: str, env: Mapping[str, str]) -> str:
    """Run `manage.py <args>` with `env` added to this process's environment; returns its output."""
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} exited with {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def prepare_database(env: Mapping[str, str]) -> None:
    """Create the tables and the demo data (both steps are safe to repeat)."""
    manage("migrate", "--noinput", env=env)
    manage("seed", env=env)


def gunicorn_argv(port: int, *, host: str = "127.0.0.1", workers: int = 2) -> list[str]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        WSGI_APP,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]


@contextmanager
def running_blog(
    *,
    database_url: str | None = None,
    sqlite_path: str | os.PathLike[str] | None = None,
    port: int | None = None,
    workers: int = 2,
    settings_module: str = SETTINGS_MODULE,
) -> Iterator[str]:
    """Migrate and seed the database, serve the blog with gunicorn, yield its base URL."""
    from tests.support.servers import free_port, running_server

    env = blog_environment(
        database_url=database_url, sqlite_path=sqlite_path, settings_module=settings_module
    )
    prepare_database(env)
    port = port or free_port()
    with running_server(
        gunicorn_argv(port, workers=workers), port, env=env, ready_path=READY_PATH, cwd=REPO_ROOT
    ) as base_url:
        yield base_url
