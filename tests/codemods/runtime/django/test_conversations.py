"""Rows grouped by conversation (django-postman's folders by conversation): the same rows and
counts as the raw SQL Django's `PostmanQuery` runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import ForeignKey, Integer, String, create_engine, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.conversations import latest_per_thread
from codemods.runtime.django.queries import annotated, ordered


class Base(DeclarativeBase):
    pass


class Message(Base):
    __tablename__ = "postman_message"
    __ordering__ = ["-id"]
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(1))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("postman_message.id"), nullable=True)


# Django's SQL for a folder by conversation (django-postman 4.6 on sqlite, its lookups here
# `recipient_id = 1 AND status = 'a'`), as `str(Message.objects.inbox(user).query)` prints it
DJANGO_SQL = """
SELECT postman_message.id, (PM.count) AS count FROM postman_message INNER JOIN (
  SELECT postman_message.id AS id2, 0 AS count FROM postman_message
  WHERE (postman_message.recipient_id = 1 AND postman_message.status = 'a'
         AND postman_message.thread_id IS NULL)
  UNION
  SELECT MAX(postman_message.id) AS id2, COUNT(postman_message.id) AS count FROM postman_message
  WHERE (postman_message.recipient_id = 1 AND postman_message.status = 'a'
         AND postman_message.thread_id IS NOT NULL)
  GROUP BY postman_message.thread_id
) PM ON (postman_message.id = PM.id2)
ORDER BY postman_message.id DESC
"""

ROWS = [
    # id, recipient, status, thread
    (1, 1, "a", None),  # alone
    (2, 1, "a", 2),  # a thread's root, then its replies
    (3, 2, "a", 2),  # to another user: not counted
    (4, 1, "a", 2),  # the thread's latest for user 1
    (5, 1, "p", 2),  # pending: not matching, so not the latest
    (6, 1, "a", 6),
    (7, 1, "a", 6),
    (8, 2, "a", None),  # another user's, alone
    (9, 1, "r", None),  # rejected, alone
]


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for pk, recipient, status, thread in ROWS:
            session.add(Message(id=pk, recipient_id=recipient, status=status, thread_id=thread))
            session.flush()
        session.commit()
        yield session


def _grouped(session: Session) -> list[tuple[int, int]]:
    statement = latest_per_thread(
        Message, Message.thread_id, Message.recipient_id == 1, Message.status == "a"
    )
    rows = annotated(session.execute(ordered(statement)), "count")
    return [(row.id, row.count) for row in rows]


def test_latest_per_thread_gives_djangos_rows_and_counts(session: Session) -> None:
    django = [(row.id, row.count) for row in session.execute(text(DJANGO_SQL))]
    assert _grouped(session) == django


def test_latest_per_thread_counts_a_thread_s_matching_rows_on_its_latest(session: Session) -> None:
    assert _grouped(session) == [(7, 2), (4, 2), (1, 0)]
