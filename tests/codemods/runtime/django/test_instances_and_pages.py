"""The runtime pieces the converted Django views call beyond one query: Django's Paginator over a
statement, an instance's save/delete/many-to-many set, `__year`, `annotate(Count)` rows, and
datetimes read back aware on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.core.paginator import EmptyPage, Paginator
from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from codemods.runtime.common.columns import AwareDateTime
from codemods.runtime.django.instances import delete, save, set_related
from codemods.runtime.django.pagination import selected
from codemods.runtime.django.queries import annotated, in_year, ordered


class Base(DeclarativeBase):
    pass


entry_labels = Table(
    "entry_labels",
    Base.metadata,
    Column("entry_id", ForeignKey("entry.id")),
    Column("label_id", ForeignKey("label.id")),
)


class Label(Base):
    __tablename__ = "label"
    __ordering__ = ["name"]
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Entry(Base):
    __tablename__ = "entry"
    __ordering__ = ["id"]
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20))
    written: Mapped[datetime] = mapped_column(
        AwareDateTime, default=lambda: datetime.now(UTC), onupdate=lambda: datetime.now(UTC)
    )
    labels: Mapped[list[Label]] = relationship(secondary=entry_labels, backref="entries")


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as opened:
        opened.add_all(Entry(title=f"e{n}") for n in range(1, 6))
        opened.commit()
        yield opened


def test_django_paginator_pages_a_statement_with_limit_and_offset(session: Session) -> None:
    paginator = Paginator(selected(session, ordered(select(Entry))), 2)
    page = paginator.page(2)

    assert (paginator.count, paginator.num_pages) == (5, 3)
    assert [entry.title for entry in page.object_list] == ["e3", "e4"]
    assert page.has_next() and page.has_previous()


def test_a_page_past_the_last_is_djangos_empty_page(session: Session) -> None:
    with pytest.raises(EmptyPage):
        Paginator(selected(session, select(Entry)), 2).page(4)


def test_the_first_page_of_no_rows_exists_as_in_django(session: Session) -> None:
    nothing = select(Entry).where(Entry.title == "none")
    page = Paginator(selected(session, nothing), 2).page(1)

    assert list(page.object_list) == [] and not page.has_next()


def test_save_writes_now_and_touches_auto_now_even_without_a_change(session: Session) -> None:
    entry = session.scalars(select(Entry)).first()
    assert entry is not None
    before = entry.written
    save(session, entry)

    assert entry.written > before


def test_delete_removes_the_row(session: Session) -> None:
    entry = session.scalars(select(Entry)).first()
    delete(session, entry)

    assert session.scalar(select(func.count()).select_from(Entry)) == 4


def test_set_related_replaces_the_links(session: Session) -> None:
    entry = session.scalars(select(Entry)).first()
    assert entry is not None
    session.add_all([Label(name="a"), Label(name="b")])
    session.commit()
    set_related(session, entry, "labels", session.scalars(select(Label)).all())
    set_related(session, entry, "labels", session.scalars(select(Label).where(Label.name == "b")))

    assert [label.name for label in entry.labels] == ["b"]


def test_in_year_selects_the_whole_year_in_utc(session: Session) -> None:
    session.add(Entry(title="old", written=datetime(2020, 12, 31, 23, 59, tzinfo=UTC)))
    session.commit()

    found = session.scalars(select(Entry).where(in_year(Entry.written, 2020))).all()
    assert [entry.title for entry in found] == ["old"]


def test_annotated_rows_are_instances_with_their_counts(session: Session) -> None:
    entries = session.scalars(select(Entry).limit(2)).all()
    session.add_all([Label(name="x"), Label(name="y")])
    session.commit()
    for entry in entries:
        set_related(
            session, entry, "labels", session.scalars(select(Label).where(Label.name == "x"))
        )
    statement = (
        select(Label, func.count(Entry.id).label("n"))
        .outerjoin(entry_labels, entry_labels.c.label_id == Label.id)
        .outerjoin(Entry, Entry.id == entry_labels.c.entry_id)
        .group_by(Label.id)
        .order_by(Label.name)
    )

    rows = annotated(session.execute(statement), "n")
    assert [(label.name, label.n) for label in rows] == [("x", 2), ("y", 0)]


def test_datetimes_read_back_aware_in_utc_on_sqlite(session: Session) -> None:
    entry = session.scalars(select(Entry)).first()
    assert entry is not None
    session.expire_all()

    assert entry.written.tzinfo is not None
    assert entry.written.isoformat().endswith("+00:00")
