"""Django's `order_by(name)` with a name chosen at run time (django-postman's folders order by
the request's `?o=`): fields, `pk`, and paths through foreign keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import ForeignKey, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from codemods.runtime.django.order_names import UnknownOrdering, ordered_by_names


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "auth_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(20))


class Message(Base):
    __tablename__ = "message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), nullable=True)
    sender: Mapped[User | None] = relationship(foreign_keys=[sender_id])
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), nullable=True)
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_id])


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([User(id=1, username="bob"), User(id=2, username="amy")])
        session.add_all(
            [
                Message(id=1, subject="c", sender_id=1, recipient_id=2),
                Message(id=2, subject="a", sender_id=2, recipient_id=1),
                Message(id=3, subject="b", sender_id=None, recipient_id=1),  # a visitor's
            ]
        )
        session.commit()
        yield session


def _ids(session: Session, *names: str) -> list[int]:
    statement = select(Message).order_by(Message.id.desc())
    return [row.id for row in session.scalars(ordered_by_names(statement, *names))]


def test_a_field_name_orders_by_the_column(session: Session) -> None:
    assert _ids(session, "subject") == [2, 3, 1]


def test_a_leading_minus_orders_descending(session: Session) -> None:
    assert _ids(session, "-subject") == [1, 3, 2]


def test_the_names_replace_the_statement_s_ordering(session: Session) -> None:
    assert _ids(session, "pk") == [1, 2, 3]


def test_a_foreign_key_path_orders_by_the_related_field_a_null_key_first(
    session: Session,
) -> None:
    assert _ids(session, "sender__username", "pk") == [3, 2, 1]


def test_two_names_on_one_path_join_it_once(session: Session) -> None:
    statement = ordered_by_names(select(Message), "sender__username", "-sender__id")
    assert str(statement).count("JOIN") == 1


def test_two_foreign_keys_to_one_model_each_get_their_join(session: Session) -> None:
    assert _ids(session, "-recipient__username", "sender__username") == [3, 2, 1]


def test_a_name_that_is_no_field_is_refused() -> None:
    with pytest.raises(UnknownOrdering, match="'nothing' is not a column"):
        ordered_by_names(select(Message), "nothing")


def test_a_path_through_a_column_is_refused() -> None:
    with pytest.raises(UnknownOrdering, match="'subject' is not a foreign key"):
        ordered_by_names(select(Message), "subject__length")
