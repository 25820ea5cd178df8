"""The request user's one-to-one relations, read through SQLAlchemy: a route whose code (or a
decorator kept on it) reads `request.user.st` gets the row of the generated model instead of a
query on Django's ORM. Permanent in what it reads; the user itself stays Django's while the
session and auth are Django's.

    @django_view
    @moderator_required            # reads request.user.st.is_moderator
    def delete(request: Annotated[HttpRequest, Depends(user_relations(st=UserProfile.user_id))]):

`user_relations(name=Model.key)` is a FastAPI dependency giving the route's Django request
(`DjangoRequest`) whose `request.user`, once read, holds in Django's relation cache the row of
`Model` whose `key` column is the user's primary key, read on the route's SQLAlchemy session:
Django's own descriptor then answers `user.st` from that cache, and raises its
`RelatedObjectDoesNotExist` when there is no row, as it does. An anonymous user has no
relations to read. `request.user` stays lazy: nothing is read until the view or a decorator
reads it, on the view's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty
from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from codemods.runtime.django.database import get_session
from codemods.runtime.django.request import DjangoRequest

Keys = Mapping[str, InstrumentedAttribute[Any]]


def _cache_name(user: Any, name: str) -> str:
    """The key under which Django caches the user's relation `name` (its accessor name)."""
    relation = user._meta.get_field(name)
    return str(relation.cache_name if hasattr(relation, "cache_name") else name)


def fill_relations(user: Any, session: Session, keys: Keys) -> Any:
    """`user` with its relations `keys` (accessor name -> the related model's key column to the
    user) read on `session` into Django's relation cache (a missing row caches None, which
    Django's descriptor answers with `RelatedObjectDoesNotExist`)."""
    if not getattr(user, "is_authenticated", False):
        return user
    for name, key in keys.items():
        model = key.class_
        row = session.scalars(select(model).where(key == user.pk)).one_or_none()
        user._state.fields_cache[_cache_name(user, name)] = row
    return user


def _evaluated(user: Any) -> Any:
    """The object behind a lazy `request.user` (Django's auth middleware sets a lazy one)."""
    if isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def with_relations(request: HttpRequest, session: Session, keys: Keys) -> HttpRequest:
    """`request` whose user, when first read, has its relations `keys` read on `session`."""
    user = request.user
    request.user = SimpleLazyObject(lambda: fill_relations(_evaluated(user), session, keys))
    return request


def user_relations(
    **keys: InstrumentedAttribute[Any],
) -> Callable[[HttpRequest, Session], HttpRequest]:
    """FastAPI dependency factory: the route's Django request whose user's relations `keys`
    (`st=UserProfile.user_id`) are read through SQLAlchemy."""

    def dependency(request: DjangoRequest, session: Session = Depends(get_session)) -> HttpRequest:
        return with_relations(request, session, keys)

    return dependency
