"""`user_row` (runtime user_rows.py): Django's user as the generated user model's row."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.user_rows import user_row


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "auth_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))


@dataclass
class DjangoUser:
    pk: int | None


@pytest.fixture
def session() -> Session:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(User(id=7, email="ann@example.com"))
        session.commit()
        return session


def test_djangos_user_is_its_row_on_the_session(session: Session) -> None:
    assert user_row(session, User, DjangoUser(pk=7)).email == "ann@example.com"


def test_the_anonymous_user_is_refused_as_django_refuses_it(session: Session) -> None:
    with pytest.raises(ValueError, match="must be a"):
        user_row(session, User, DjangoUser(pk=None))
