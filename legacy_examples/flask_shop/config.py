"""Configuration read from the environment, the twelve-factor way most Flask apps do it."""

import os


def normalize_database_url(url):
    """Point plain PostgreSQL URLs at the psycopg 3 driver (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def config_from_environment(instance_path):
    database_url = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(
        instance_path, "flask_shop.db"
    )
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-secret-key-change-me"),
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or os.path.join(instance_path, "uploads"),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "PRODUCTS_PER_PAGE": 10,
        "MAX_PRODUCTS_PER_PAGE": 100,
        "ALLOWED_IMAGE_EXTENSIONS": {"png", "jpg", "jpeg", "gif", "webp"},
    }
