"""The request user's one-to-one relations read through SQLAlchemy (user_relations.py), on real
Django (the blog's settings, its test database) and a SQLAlchemy model on the same table."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.database import new_session
from codemods.runtime.django.user_relations import fill_relations, with_relations

TABLE = "strangler_test_profile"


class Base(DeclarativeBase):
    pass


class Profile(Base):
    """The generated twin of the Django model below."""

    __tablename__ = TABLE
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("auth_user.id"), unique=True)
    nickname: Mapped[str] = mapped_column(String(20))


@pytest.fixture
def django_profile(transactional_db: None) -> Iterator[Any]:
    """A Django model with `OneToOneField(User, related_name="st")`, registered and created for
    the test only."""
    from django.apps import apps
    from django.contrib.auth.models import User
    from django.db import connection, models

    class DjangoProfile(models.Model):
        user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="st")
        nickname = models.CharField(max_length=20)

        class Meta:
            app_label = "blog"
            db_table = TABLE

    with connection.schema_editor() as editor:
        editor.create_model(DjangoProfile)
    try:
        yield DjangoProfile
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(DjangoProfile)
        del apps.all_models["blog"]["djangoprofile"]
        apps.clear_cache()


@pytest.fixture
def session(django_profile: Any) -> Iterator[Session]:
    session = new_session()
    try:
        yield session
    finally:
        session.close()


def make_user(django_profile: Any, nickname: str | None) -> Any:
    from django.contrib.auth.models import User

    user = User.objects.create_user(f"user-{uuid.uuid4().hex[:8]}")
    if nickname is not None:
        django_profile.objects.create(user=user, nickname=nickname)
    return User.objects.get(pk=user.pk)  # nothing cached


def test_the_users_relation_is_the_generated_models_row(
    django_profile: Any, session: Session, django_assert_num_queries: Any
) -> None:
    user = fill_relations(make_user(django_profile, "ann"), session, {"st": Profile.user_id})

    with django_assert_num_queries(0):  # Django's ORM is not asked
        profile = user.st
    assert isinstance(profile, Profile)
    assert profile.nickname == "ann"


def test_a_missing_row_raises_djangos_related_object_does_not_exist(
    django_profile: Any, session: Session
) -> None:
    user = fill_relations(make_user(django_profile, None), session, {"st": Profile.user_id})

    with pytest.raises(type(user).st.RelatedObjectDoesNotExist):
        _ = user.st


def test_an_anonymous_user_is_left_as_it_is(session: Session) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert fill_relations(anonymous, session, {"st": Profile.user_id}) is anonymous


def test_the_requests_user_stays_lazy_until_read(django_profile: Any, session: Session) -> None:
    user = make_user(django_profile, "bob")
    loads: list[int] = []

    def load() -> Any:
        loads.append(1)
        return user

    request = HttpRequest()
    request.user = SimpleLazyObject(load)
    with_relations(request, session, {"st": Profile.user_id})
    assert loads == []

    assert request.user.st.nickname == "bob"
    assert request.user.username == user.username
    assert loads == [1]
