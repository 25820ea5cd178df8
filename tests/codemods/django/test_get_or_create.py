"""`.get_or_create()` in the query mapping: one read, else an insert of the lookups' and the
defaults' fields; when a concurrent insert wins the unique constraint, the row is read again
(Django's IntegrityError handling), on a real PostgreSQL with a second connection."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
import pytest
from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    UniqueConstraint,
    create_engine,
    event,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.django.querysets import Unconvertible, translate
from codemods.runtime.django.queries import get_or_create
from tests.support import services

MODELS = frozenset({"Post", "Vote"})


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, {}).code


def test_lookups_select_and_with_the_defaults_make_the_new_row() -> None:
    assert sql('Vote.objects.get_or_create(user_id=u, post_id=p, defaults={"score": 1})') == (
        "get_or_create(session, select(tables.Vote).where(tables.Vote.user_id == u, "
        "tables.Vote.post_id == p), user_id=u, post_id=p, score=1)"
    )


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ("Vote.objects.get_or_create(score__gt=1)", "a lookup, not a field"),
        ("Vote.objects.filter(a=1).get_or_create(b=2)", "on a filtered queryset"),
        ("Vote.objects.get_or_create(defaults=d, b=2)", "not a dict literal"),
        ("Vote.objects.get_or_create(**found)", "positional or ** arguments"),
    ],
)
def test_what_django_would_not_create_from_stays_on_the_orm(queryset: str, reason: str) -> None:
    with pytest.raises(Unconvertible) as refused:
        sql(queryset)
    assert str(refused.value).endswith(reason)


class Base(DeclarativeBase):
    pass


class Vote(Base):
    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("user_id", "post_id"),)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    post_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer, default=0)


@pytest.fixture
def url() -> Iterator[str]:
    services.require_postgres()
    with services.fresh_postgres_database("get_or_create") as found:
        url = found.replace("postgresql://", "postgresql+psycopg://", 1)
        Base.metadata.create_all(create_engine(url))
        yield url


def voted(user_id: int, post_id: int) -> Select[tuple[Vote]]:
    return select(Vote).where(Vote.user_id == user_id, Vote.post_id == post_id)


def test_the_row_found_is_returned_not_created(url: str) -> None:
    with Session(create_engine(url)) as session:
        session.add(Vote(user_id=1, post_id=1, score=5))
        session.commit()
        row, created = get_or_create(session, voted(1, 1), user_id=1, post_id=1, score=1)
        assert (row.score, created) == (5, False)


def test_a_missing_row_is_created_and_committed(url: str) -> None:
    engine = create_engine(url)
    with Session(engine) as session:
        _, created = get_or_create(session, voted(1, 2), user_id=1, post_id=2, score=3)
        assert created
    with engine.connect() as other:
        assert other.execute(text("select score from vote where post_id = 2")).scalar() == 3


def test_a_concurrent_insert_between_read_and_write_gives_its_row(url: str) -> None:
    engine = create_engine(url)
    other = create_engine(url)
    session = Session(engine)

    @event.listens_for(session, "before_flush", once=True)
    def another_request_inserts_first(*_: object) -> None:
        with other.begin() as connection:
            connection.execute(text("insert into vote (user_id, post_id, score) values (1, 3, 9)"))

    row, created = get_or_create(session, voted(1, 3), user_id=1, post_id=3, score=1)
    assert (row.score, created) == (9, False)
    session.close()


def test_an_integrity_error_with_no_row_to_read_is_raised(url: str) -> None:
    engine = create_engine(url)
    with Session(engine) as session:
        session.add(Vote(user_id=2, post_id=4))
        session.commit()
        # the lookups miss the row that breaks the constraint
        with pytest.raises(IntegrityError):
            get_or_create(session, voted(2, 5), user_id=2, post_id=4)
