""".update_or_create() in the query mapping: the row the lookups select, read for update, is
given the defaults and saved; else a row of the lookups' and the defaults' fields is created, as
get_or_create() creates it. The runtime runs on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import libcst as cst
import pytest
from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    Select,
    UniqueConstraint,
    create_engine,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.django.querysets import Unconvertible, translate
from codemods.runtime.django.queries import update_or_create
from tests.support import services

MODELS = frozenset({"Post", "Vote"})


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, {}).code


def test_lookups_select_and_the_defaults_are_a_dict_of_columns() -> None:
    assert sql('Vote.objects.update_or_create(user_id=u, post_id=p, defaults={"score": 1})') == (
        "update_or_create(session, select(tables.Vote).where(tables.Vote.user_id == u, "
        'tables.Vote.post_id == p), {"score": 1}, user_id=u, post_id=p)'
    )


def test_without_defaults_the_dict_is_empty() -> None:
    assert sql("Vote.objects.update_or_create(user_id=u)") == (
        "update_or_create(session, select(tables.Vote).where(tables.Vote.user_id == u), {}, "
        "user_id=u)"
    )


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ("Vote.objects.update_or_create(score__gt=1)", "a lookup, not a field"),
        ("Vote.objects.filter(a=1).update_or_create(b=2)", "on a filtered queryset"),
        ("Vote.objects.update_or_create(defaults=d, b=2)", "not a dict literal"),
        ("Vote.objects.update_or_create(**found)", "positional or ** arguments"),
        ('Vote.objects.update_or_create(b=2, create_defaults={"c": 1})', "not in the mapping"),
    ],
)
def test_what_the_mapping_does_not_cover_stays_on_the_orm(queryset: str, reason: str) -> None:
    with pytest.raises(Unconvertible) as refused:
        sql(queryset)
    assert str(refused.value).endswith(reason)


class Base(DeclarativeBase):
    pass


def _epoch() -> datetime:
    return datetime(2000, 1, 1, tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


class Vote(Base):
    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("user_id", "post_id"),)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    post_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_epoch, onupdate=_now
    )


@pytest.fixture
def url() -> Iterator[str]:
    services.require_postgres()
    with services.fresh_postgres_database("update_or_create") as found:
        url = found.replace("postgresql://", "postgresql+psycopg://", 1)
        Base.metadata.create_all(create_engine(url))
        yield url


def voted(user_id: int, post_id: int) -> Select[tuple[Vote]]:
    return select(Vote).where(Vote.user_id == user_id, Vote.post_id == post_id)


def test_the_row_found_gets_the_defaults_committed(url: str) -> None:
    engine = create_engine(url)
    with Session(engine) as session:
        session.add(Vote(user_id=1, post_id=1, score=5))
        session.commit()
        row, created = update_or_create(session, voted(1, 1), {"score": 7}, user_id=1, post_id=1)
        assert (row.score, created) == (7, False)
    with engine.connect() as other:
        assert other.execute(text("select count(*), max(score) from vote")).one() == (1, 7)


def test_an_unchanged_default_is_still_saved_and_auto_now_moves(url: str) -> None:
    engine = create_engine(url)
    with Session(engine) as session:
        session.add(Vote(user_id=1, post_id=2, score=5))
        session.commit()
        row, _ = update_or_create(session, voted(1, 2), {"score": 5}, user_id=1, post_id=2)
        assert row.changed > _epoch()


def test_a_missing_row_is_created_from_lookups_and_defaults(url: str) -> None:
    engine = create_engine(url)
    with Session(engine) as session:
        _, created = update_or_create(session, voted(1, 3), {"score": 3}, user_id=1, post_id=3)
        assert created
    with engine.connect() as other:
        assert other.execute(text("select score from vote where post_id = 3")).scalar() == 3


def test_a_callable_default_is_called(url: str) -> None:
    with Session(create_engine(url)) as session:
        row, _ = update_or_create(session, voted(1, 4), {"score": lambda: 9}, user_id=1, post_id=4)
        assert row.score == 9
