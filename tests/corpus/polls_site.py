"""The Django tutorial's polls app as published (meilaesop-django-polls 0.1.1), wrapped in a
tutorial-style project and served through the strangler front.

The sdist's `django_polls` package is copied beside a project written here, `pollsite` (the
tutorial's `mysite`: settings, a root URLconf including the app under `polls/` and the admin,
`wsgi.py`). The app pins `django<5.0` for installing; its code runs unchanged on the Django of
strangler's own venv, so it is copied, not installed (as flaskr is).

`legacy`: the project itself, every route legacy. `new`: the codemod's output of the app,
unedited (`strangler codemod django django_polls --out polls_new --settings
pollsite.settings`), answering every polls route in `new` mode; `/admin/` stays legacy.
Each side has a database of its own (SQLite in the site folder, or a PostgreSQL database),
migrated by Django; tests write questions and choices into it with plain SQL, as the app's own
tests create them with the ORM.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.support import corpus
from tests.support.servers import venv_command

REQUIREMENT = "meilaesop-django-polls==0.1.1"
APP_PACKAGE = "django_polls"
NEW_PACKAGE = "polls_new"
SETTINGS = "pollsite.settings"
PG_DATABASE_VARIABLE = "POLLS_PG_DATABASE"  # set: the project runs on this PostgreSQL database

# Every polls route, as the front spells paths (the codemod's report gives the same); HEAD and
# OPTIONS stay legacy.
POLLS_ROUTES = (
    ("/polls/", ("GET",)),
    ("/polls/{pk:int}/", ("GET",)),
    ("/polls/{pk:int}/results/", ("GET",)),
    ("/polls/{question_id:int}/vote/", ("GET", "POST", "PUT", "PATCH", "DELETE")),
)

PROJECT = {
    "manage.py": """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pollsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
""",
    "pollsite/__init__.py": "",
    "pollsite/settings.py": """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "polls-tutorial-test-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django_polls.apps.PollsConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "pollsite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
WSGI_APPLICATION = "pollsite.wsgi.application"
if os.environ.get("POLLS_PG_DATABASE"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ["POLLS_PG_DATABASE"],
            "USER": os.environ.get("POLLS_PG_USER", "postgres"),
            "HOST": os.environ.get("POLLS_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("POLLS_PG_PORT", "5432"),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 60},
        }
    }
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
""",
    "pollsite/urls.py": """\
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("polls/", include("django_polls.urls")),
    path("admin/", admin.site.urls),
]
""",
    "pollsite/wsgi.py": """\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pollsite.settings")

application = get_wsgi_application()
""",
}


@dataclass(frozen=True)
class Site:
    """One side's project folder (the folder to put on PYTHONPATH) and its database."""

    folder: Path
    pg_url: str | None = None  # a PostgreSQL database's URL; None: SQLite in the folder

    @property
    def env(self) -> dict[str, str]:
        env = {"PYTHONPATH": str(self.folder), "DJANGO_SETTINGS_MODULE": SETTINGS}
        if self.pg_url:
            env[PG_DATABASE_VARIABLE] = self.pg_url.rsplit("/", 1)[-1]
        return env

    def connect(self) -> Any:
        """A DB-API connection to the side's database (autocommit)."""
        if self.pg_url:
            import psycopg

            return psycopg.connect(self.pg_url, autocommit=True)
        return sqlite3.connect(self.folder / "db.sqlite3", timeout=60, isolation_level=None)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """One statement, `?` placeholders on both databases; the rows it returns."""
        if self.pg_url:
            sql = sql.replace("?", "%s")
        connection = self.connect()
        try:
            cursor = connection.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()

    def add_question(self, text: str, days: float, choices: tuple[str, ...] = ()) -> int:
        """A question published `days` from now (negative: in the past), with its choices;
        its id (the app's tests' `create_question`)."""
        published = datetime.now(UTC) + timedelta(days=days)
        stamp = (
            published.isoformat(sep=" ")
            if self.pg_url
            else published.strftime("%Y-%m-%d %H:%M:%S.%f")
        )
        [(question,)] = self.execute(
            "INSERT INTO polls_question (question_text, pub_date) VALUES (?, ?) RETURNING id",
            (text, stamp),
        )
        for choice in choices:
            self.execute(
                "INSERT INTO polls_choice (question_id, choice_text, votes) VALUES (?, ?, 0)",
                (question, choice),
            )
        return int(question)

    def choice_ids(self, question: int) -> list[int]:
        rows = self.execute(
            "SELECT id FROM polls_choice WHERE question_id = ? ORDER BY id", (question,)
        )
        return [int(row[0]) for row in rows]

    def django(self, script: str) -> str:
        """Run Python code with Django set up on this side's project; its standard output."""
        code = "import django\ndjango.setup()\n" + script
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=self.folder,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def votes_by_django(self, choice: int) -> int:
        """A choice's votes, read back by Django's ORM."""
        script = (
            "from django_polls.models import Choice\n"
            f"print(Choice.objects.get(pk={choice}).votes)\n"
        )
        return int(self.django(script).strip().splitlines()[-1])


def copy_polls(folder: Path, pg_url: str | None = None) -> Site:
    """The app (from its sdist) and the tutorial project under `folder`, migrated."""
    sdist = corpus.fetch_sdist_or_skip(REQUIREMENT)
    shutil.copytree(sdist / APP_PACKAGE, folder / APP_PACKAGE)
    for name, text in PROJECT.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    site = Site(folder, pg_url)
    site.django(
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n"
    )
    return site


def convert(site: Site) -> subprocess.CompletedProcess[str]:
    """`strangler codemod django django_polls --out polls_new --settings pollsite.settings`,
    run in the project folder."""
    return subprocess.run(
        [
            venv_command("strangler"),
            "codemod",
            "django",
            APP_PACKAGE,
            "--out",
            NEW_PACKAGE,
            "--settings",
            SETTINGS,
            "--report",
            "report.json",
        ],
        cwd=site.folder,
        env={**os.environ, **site.env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_config(site: Site, side: str) -> Path:
    lines = [
        "[legacy]",
        'app = "pollsite.wsgi:application"',
        "threads = 16",
        "",
        "[health]",
        'legacy_probe_path = "/polls/"',
        "",
    ]
    if side == "new":
        lines += ["[migrated]", f'app = "{NEW_PACKAGE}:create_app"', ""]
        for path, methods in POLLS_ROUTES:
            quoted = ", ".join(f'"{m}"' for m in methods)
            lines += ["[[routes]]", f'path = "{path}"', f"methods = [{quoted}]", 'mode = "new"', ""]
    config = site.folder / "strangler.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config
