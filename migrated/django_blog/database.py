"""Sessions on the legacy database: one engine for reads, one whose transactions take SQLite's
write lock up front, as the legacy settings do (`"transaction_mode": "IMMEDIATE"`), so a
read-then-write request waits for a concurrent writer instead of failing with "database is
locked"."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from .settings import database_url

SQLITE_BUSY_TIMEOUT = 20  # seconds, the legacy settings' "timeout"


def make_engine(url: str, *, immediate: bool) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT})
    if immediate:
        event.listen(engine, "connect", _driver_leaves_transactions_to_us)
        event.listen(engine, "begin", _begin_immediate)
    return engine


def _driver_leaves_transactions_to_us(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@cache
def reader() -> sessionmaker[Session]:
    return sessionmaker(make_engine(database_url(), immediate=False), expire_on_commit=False)


@cache
def writer() -> sessionmaker[Session]:
    return sessionmaker(make_engine(database_url(), immediate=True), expire_on_commit=False)


def read_session() -> Iterator[Session]:
    with reader()() as session:
        yield session


def write_session() -> Iterator[Session]:
    with writer()() as session:
        yield session
