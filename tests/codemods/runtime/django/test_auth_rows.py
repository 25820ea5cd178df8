"""The generated User and AuthGroup rows against Django's on one database (the blog's settings,
its test database): the user's groups read through `in_user_groups` are Django's
`user.groups.all()`, and a row equals Django's instance of the same key (`DjangoEquality`), as
Django's own instances do."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from types import ModuleType, SimpleNamespace

import pytest
from sqlalchemy import Boolean, Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.django.auth_group import auth_group_class
from codemods.django.tables.models import auth_user_class
from codemods.runtime.common.columns import AwareDateTime
from codemods.runtime.django.database import new_session
from codemods.runtime.django.queries import in_group_users, in_user_groups
from codemods.runtime.django.rows import DjangoEquality


class Base(DeclarativeBase):
    pass


def _generated() -> SimpleNamespace:
    """The classes exactly as the models rule writes them, in a module of their own."""
    module = ModuleType("generated_auth_rows")
    module.__dict__.update(
        Base=Base,
        DjangoEquality=DjangoEquality,
        Mapped=Mapped,
        mapped_column=mapped_column,
        Integer=Integer,
        String=String,
        Boolean=Boolean,
        AwareDateTime=AwareDateTime,
        datetime=datetime,
        _now=lambda: datetime.now(UTC),
    )
    sys.modules[module.__name__] = module
    exec(auth_user_class("User", "datetime"), module.__dict__)
    exec(auth_group_class(), module.__dict__)
    return SimpleNamespace(User=module.User, AuthGroup=module.AuthGroup)


GENERATED = _generated()


@pytest.fixture
def people(transactional_db: None) -> SimpleNamespace:
    from django.contrib.auth.models import Group, User

    ann = User.objects.create_user("ann")
    bob = User.objects.create_user("bob")
    staff, editors, readers = (Group.objects.create(name=n) for n in ("staff", "eds", "rd"))
    ann.groups.add(readers, staff)
    bob.groups.add(editors)
    return SimpleNamespace(ann=ann, bob=bob, staff=staff, editors=editors, readers=readers)


@pytest.fixture
def session(people: SimpleNamespace) -> Iterator[Session]:
    session = new_session()
    try:
        yield session
    finally:
        session.close()


def test_the_users_groups_are_djangos_user_groups(
    people: SimpleNamespace, session: Session
) -> None:
    group = GENERATED.AuthGroup
    rows = session.scalars(select(group).where(in_user_groups(group.id, people.ann))).all()
    assert sorted(row.name for row in rows) == sorted(g.name for g in people.ann.groups.all())
    assert sorted(row.pk for row in rows) == sorted(people.ann.groups.values_list("pk", flat=True))


def test_the_groups_users_are_djangos_group_user_set(
    people: SimpleNamespace, session: Session
) -> None:
    user = GENERATED.User
    for group in (people.staff, people.editors):
        rows = session.scalars(select(user).where(in_group_users(user.id, group))).all()
        assert sorted(row.pk for row in rows) == sorted(group.user_set.values_list("pk", flat=True))


def test_a_user_with_no_group_has_none(people: SimpleNamespace, session: Session) -> None:
    from django.contrib.auth.models import User

    carl = User.objects.create_user("carl")
    group = GENERATED.AuthGroup
    assert session.scalars(select(group).where(in_user_groups(group.id, carl))).all() == []


def test_a_user_row_equals_djangos_user_of_the_same_key_both_ways(
    people: SimpleNamespace, session: Session
) -> None:
    row = session.get(GENERATED.User, people.ann.pk)
    assert row == people.ann
    assert people.ann == row
    assert row != people.bob
    assert row == session.get(GENERATED.User, people.ann.pk)


def test_a_group_row_is_in_the_users_groups_as_djangos_group_is(
    people: SimpleNamespace, session: Session
) -> None:
    group = GENERATED.AuthGroup
    rows = session.scalars(select(group).where(in_user_groups(group.id, people.ann))).all()
    staff = session.get(group, people.staff.pk)
    editors = session.get(group, people.editors.pk)
    assert (staff in rows, editors in rows) == (
        people.staff in people.ann.groups.all(),
        people.editors in people.ann.groups.all(),
    )
    assert staff == people.staff and editors != people.staff


def test_rows_hash_as_djangos_instances_do(people: SimpleNamespace, session: Session) -> None:
    row = session.get(GENERATED.User, people.ann.pk)
    assert hash(row) == hash(people.ann)
    assert len({row, people.ann}) == 1
    unsaved = GENERATED.User(username="new")
    assert unsaved == unsaved and unsaved != GENERATED.User(username="new")


@pytest.mark.parametrize(
    ("first", "last"), [("Ann", "Lee"), ("Ann", ""), ("", "Lee"), ("", ""), (" Ann", "Lee ")]
)
def test_a_user_rows_full_and_short_names_are_djangos(
    people: SimpleNamespace, session: Session, first: str, last: str
) -> None:
    people.ann.first_name, people.ann.last_name = first, last
    people.ann.save()
    row = session.get(GENERATED.User, people.ann.pk)
    assert row.get_full_name() == people.ann.get_full_name()
    assert row.get_short_name() == people.ann.get_short_name()
