"""Django REST framework's `rest_framework.authtoken` Token, for converted code reading the
logged-in user's token on the route's session (codemods/django/authtoken.py writes the calls).
Permanent.

    request.user.auth_token.delete()  ->  delete(session, user_token(session, request.user))

`AuthtokenToken` is mapped on the table authtoken's migrations create (`authtoken_token`); no
generated models module holds it, since the model is DRF's, not the project's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.common.columns import AwareDateTime
from codemods.runtime.django.rows import DjangoEquality

ACCESSOR = "auth_token"  # the Token's related_name on the user model


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The declarative base of the DRF tables the runtime maps."""


class AuthtokenToken(DjangoEquality, Base):
    """rest_framework.authtoken's Token, on the table its migrations created."""

    __tablename__ = "authtoken_token"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, unique=True)
    created: Mapped[datetime] = mapped_column(AwareDateTime, default=_now)

    @property
    def pk(self) -> str:
        """The primary key, as Django's `token.pk`."""
        return self.key

    def __str__(self) -> str:
        return self.key


def user_token(session: Session, user: Any) -> AuthtokenToken:
    """`user.auth_token`: the user's Token row. As Django's reverse one-to-one accessor: a user
    that is no model instance (AnonymousUser) has no such attribute (AttributeError), and a user
    without a token raises the accessor's `RelatedObjectDoesNotExist` (both `Token.DoesNotExist`
    and AttributeError)."""
    kind = user.__class__  # the user's, through the lazy object of `request.user` too
    accessor = getattr(kind, ACCESSOR, None)
    if accessor is None or not hasattr(user, "_meta"):
        raise AttributeError(f"{kind.__name__!r} object has no attribute {ACCESSOR!r}")
    found = session.scalars(select(AuthtokenToken).where(AuthtokenToken.user_id == user.pk))
    token = found.one_or_none()
    if token is None:
        raise accessor.RelatedObjectDoesNotExist(f"{kind.__name__} has no {ACCESSOR}.")
    return token
