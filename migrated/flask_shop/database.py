"""The flask_shop database, shared with the legacy app: same URL, same tables (SQLAlchemy 2.0)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    create_engine,
)
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()

category = Table(
    "category",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("slug", String(80), nullable=False, unique=True),
)

product = Table(
    "product",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(32), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("description", Text, nullable=False),
    Column("price", Numeric(10, 2), nullable=False),
    Column("stock", Integer, nullable=False),
    Column("category_id", Integer, ForeignKey("category.id"), nullable=False),
    Column("image_filename", String(255)),
    Column("created_at", DateTime, nullable=False),
)

user = Table("user", metadata, Column("id", Integer, primary_key=True), Column("is_admin", Boolean))


def database_url() -> str:
    """The URL the legacy app uses (its config.py reads the same variable and default)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from flask import Flask

        instance = Flask("legacy_examples.flask_shop", instance_relative_config=True).instance_path
        url = "sqlite:///" + os.path.join(instance, "flask_shop.db")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache(maxsize=1)
def engine() -> Engine:
    return create_engine(database_url(), pool_pre_ping=True)


def connection() -> Iterator[Connection]:
    """FastAPI dependency: one connection per request."""
    with engine().connect() as conn:
        yield conn
