"""`related_row`: a foreign key's row from another generated models module (another declarative
base, so no relationship), loaded by key on the instance's session."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.queries import related_row


class TopicsBase(DeclarativeBase):
    pass


class NotificationsBase(DeclarativeBase):
    pass


class Topic(TopicsBase):
    __tablename__ = "topic"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20))


class Notification(NotificationsBase):
    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


@pytest.fixture
def session() -> Session:
    engine = create_engine("sqlite://")
    TopicsBase.metadata.create_all(engine)
    NotificationsBase.metadata.create_all(engine)
    with Session(engine) as opened:
        opened.add_all([Topic(id=1, title="hello"), Notification(id=1, topic_id=1)])
        opened.add(Notification(id=2, topic_id=None))
        opened.commit()
        yield opened


def test_the_related_row_is_loaded_by_its_key(session: Session) -> None:
    notification = session.get(Notification, 1)
    assert related_row(notification, Topic, notification.topic_id).title == "hello"


def test_a_null_key_is_no_row(session: Session) -> None:
    notification = session.get(Notification, 2)
    assert related_row(notification, Topic, notification.topic_id) is None


def test_a_row_on_no_session_says_so() -> None:
    with pytest.raises(RuntimeError, match="Notification is not on a session"):
        related_row(Notification(id=3, topic_id=1), Topic, 1)
