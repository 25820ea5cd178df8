"""The real PostgreSQL and Redis servers of the development and CI machines.

A test that needs one asks for the fixture; when the server is not there the test skips, unless
STRANGLER_REQUIRE_SERVICES=1 (set by .ci/run), where a missing service fails the run instead.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_HOST = os.environ.get("STRANGLER_TEST_PG_HOST", "127.0.0.1")
POSTGRES_PORT = int(os.environ.get("STRANGLER_TEST_PG_PORT", "5432"))
POSTGRES_USER = os.environ.get("STRANGLER_TEST_PG_USER", "postgres")
REDIS_URL = os.environ.get("STRANGLER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def services_required() -> bool:
    return os.environ.get("STRANGLER_REQUIRE_SERVICES") == "1"


def unavailable(what: str) -> None:
    """Skip the calling test, or fail it when services are required (CI)."""
    message = f"{what} is not reachable"
    if services_required():
        pytest.fail(f"{message} and STRANGLER_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def postgres_admin_url(database: str = "postgres") -> str:
    return f"postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{database}"


@contextmanager
def fresh_postgres_database(prefix: str = "strangler_test") -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_admin_url(name)
    finally:
        with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def require_postgres() -> None:
    if not port_open(POSTGRES_HOST, POSTGRES_PORT):
        unavailable(f"PostgreSQL at {POSTGRES_HOST}:{POSTGRES_PORT}")


def require_redis() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        unavailable(f"Redis at {REDIS_URL}")
    return REDIS_URL
