"""PostgreSQL template-database isolation against the real server (`postgres_url`)."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, text

from proxy.parity.postgres_state import PostgresTemplateState

pytestmark = pytest.mark.postgres


@pytest.fixture
def shop(postgres_url: str) -> str:
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE item (id SERIAL PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(6, 2));"
            "CREATE TABLE audit (line TEXT);"
            "INSERT INTO item (name, price) VALUES ('a', 1.50), ('b', 2.00);"
        )
    return postgres_url


def names(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        return [n for (n,) in connection.execute("SELECT name FROM item ORDER BY id")]


def test_rows_changed_by_an_app_connection_are_listed(shop: str) -> None:
    state = PostgresTemplateState(shop)
    engine = create_engine(
        shop.replace("postgresql://", "postgresql+psycopg://"), pool_pre_ping=True
    )
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO item (name, price) VALUES ('c', 3)"))
            connection.execute(text("UPDATE item SET price = 9.99 WHERE name = 'a'"))
            connection.execute(text("INSERT INTO audit VALUES ('x')"))
        changes = state.changes()
        assert changes.summary() == {
            "audit": {"inserted": 1, "updated": 0, "deleted": 0},
            "item": {"inserted": 1, "updated": 1, "deleted": 0},
        }
        assert changes.tables["item"].updated["id=1"]["price"] == "9.99"
    finally:
        engine.dispose()
        state.close()


def test_reset_restores_rows_and_sequences_for_pooled_apps(shop: str) -> None:
    state = PostgresTemplateState(shop)
    engine = create_engine(
        shop.replace("postgresql://", "postgresql+psycopg://"), pool_pre_ping=True
    )
    try:
        for _ in range(2):
            state.reset()
            with engine.begin() as connection:
                new_id = connection.execute(
                    text("INSERT INTO item (name) VALUES ('c') RETURNING id")
                ).scalar_one()
            assert new_id == 3  # the sequence starts from the same value each time
            assert state.changes()
        state.reset()
        assert names(shop) == ["a", "b"]
    finally:
        engine.dispose()
        state.close()


def test_close_puts_back_the_original_and_drops_the_templates(shop: str) -> None:
    state = PostgresTemplateState(shop)
    with psycopg.connect(shop, autocommit=True) as connection:
        connection.execute("INSERT INTO item (name) VALUES ('login-row')")
    state.checkpoint()
    state.close()
    assert names(shop) == ["a", "b"]
    with psycopg.connect(shop.rsplit("/", 1)[0] + "/postgres") as connection:
        left = connection.execute(
            "SELECT count(*) FROM pg_database WHERE datname IN (%s, %s)",
            [state.original, state.golden],
        ).fetchone()
    assert left == (0,)
