"""The legacy project's settings this package needs, read from the same environment variables
(legacy_examples/django_blog/config/settings.py)."""

from __future__ import annotations

import os
from pathlib import Path

LEGACY_PROJECT = Path(__file__).resolve().parents[2] / "legacy_examples" / "django_blog"
DEFAULT_SECRET_KEY = "django-insecure-legacy-blog-example-only-never-use-in-production"
SESSION_COOKIE_NAME = "sessionid"
# Django's dj-database-url schemes for PostgreSQL; SQLAlchemy wants its driver named.
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")


def secret_key() -> str:
    return os.environ.get("DJANGO_SECRET_KEY", DEFAULT_SECRET_KEY)


def database_url() -> str:
    """DATABASE_URL when set (PostgreSQL in production), else the SQLite file DJANGO_BLOG_DB."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = os.environ.get("DJANGO_BLOG_DB", str(LEGACY_PROJECT / "db.sqlite3"))
        return f"sqlite:///{path}"
    for scheme in POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url
