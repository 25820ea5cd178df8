"""Seed flask_shop and serve it with gunicorn on loopback, for suites that talk HTTP to it.

    from legacy_examples.flask_shop.testing_server import running_flask_shop

    with running_flask_shop("sqlite:////tmp/x/shop.db", tmp_path / "uploads") as base_url:
        run_pytest(["legacy_examples/flask_shop", "--base-url", base_url])

`shop_environment` and `seed_with_cli` are the building blocks for serving the same app another
way (e.g. mounted behind the strangler front): seed first, then start the server with that env.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.support.servers import REPO_ROOT, free_port, running_server, venv_command

WSGI_MODULE = "legacy_examples.flask_shop.wsgi"
WSGI_APP = f"{WSGI_MODULE}:app"
READY_PATH = "/api/categories"


def shop_environment(
    database_url: str, upload_folder: Path | str, secret_key: str = "flask-shop-test-secret"
) -> dict[str, str]:
    """The environment the shop reads its configuration from (see config.py)."""
    return {
        "DATABASE_URL": database_url,
        "UPLOAD_FOLDER": str(upload_folder),
        "SECRET_KEY": secret_key,
    }


def seed_with_cli(env: Mapping[str, str]) -> str:
    """Run `flask --app legacy_examples.flask_shop.wsgi seed`; returns its output."""
    import os

    result = subprocess.run(
        [venv_command("flask"), "--app", WSGI_MODULE, "seed"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"seeding flask_shop failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def gunicorn_command(port: int, *, workers: int = 2, threads: int = 4) -> list[str]:
    return [
        venv_command("gunicorn"),
        "--worker-class", "gthread",
        "--workers", str(workers),
        "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}",
        WSGI_APP,
    ]  # fmt: skip


@contextmanager
def running_flask_shop(
    database_url: str,
    upload_folder: Path | str,
    *,
    workers: int = 2,
    threads: int = 4,
    extra_args: Sequence[str] = (),
) -> Iterator[str]:
    """Seed the database, serve flask_shop with gunicorn (gthread), yield its base URL."""
    env = shop_environment(database_url, upload_folder)
    seed_with_cli(env)
    port = free_port()
    argv = [*gunicorn_command(port, workers=workers, threads=threads), *extra_args]
    with running_server(argv, port, env=env, ready_path=READY_PATH) as base_url:
        yield base_url
