"""`save(session, row)` refused by the database (a unique constraint) raises SQLAlchemy's
IntegrityError with the session rolled back, so the view catching it goes on querying, as it
does on Django's autocommit connection (runtime instances.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import String, create_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.instances import save


class Base(DeclarativeBase):
    pass


class Board(Base):
    __tablename__ = "board"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(20), unique=True)


def test_a_refused_save_leaves_the_session_usable_for_the_next_query() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        save(session, Board(slug="plans"))
        with pytest.raises(IntegrityError):
            save(session, Board(slug="plans"))
        # before: PendingRollbackError ("This Session's transaction has been rolled back ...")
        assert session.scalars(select(Board.slug)).all() == ["plans"]
