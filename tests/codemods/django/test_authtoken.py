"""The logged-in user's DRF token deleted on the session: `request.user.auth_token.delete()` is
`delete(session, user_token(session, request.user))` where a models module of SRC imports
`rest_framework.authtoken` and none names a relation `auth_token`; anything else stays on
Django's ORM. The runtime's `user_token` raises what Django's accessor raises."""

from __future__ import annotations

from collections.abc import Iterator
from textwrap import dedent

import libcst as cst
import pytest
from django.utils.functional import SimpleLazyObject
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from codemods.django.authtoken import authtoken_accessor
from codemods.django.view_queries import function_queries
from codemods.runtime.django.authtoken import AuthtokenToken, Base, user_token

LOGOUT = """
    def logout(self, request):
        try:
            request.user.auth_token.delete()
        except (AttributeError, ObjectDoesNotExist):
            pass
"""
DJ_REST_AUTH_MODELS = """
from rest_framework.authtoken.models import Token as DefaultTokenModel
"""
OWN_TOKEN_MODELS = """
from rest_framework.authtoken.models import Token
from django.db import models

class Key(models.Model):
    user = models.OneToOneField("auth.User", models.CASCADE, related_name="auth_token")
"""


def planned(body: str, tokens: bool) -> tuple[list[str], list[str]]:
    function = cst.parse_module(dedent(body)).body[0]
    assert isinstance(function, cst.FunctionDef)
    found = function_queries(function, frozenset(), {}, {}, tokens=tokens)
    return [t.code for t in found.translations.values()], found.reasons


def test_the_users_token_is_deleted_on_the_session() -> None:
    assert planned(LOGOUT, tokens=True) == (
        ["delete(session, user_token(session, request.user))"],
        [],
    )


def test_without_authtoken_the_token_stays_on_the_orm() -> None:
    translations, reasons = planned(LOGOUT, tokens=False)
    assert translations == []
    assert reasons == [
        "logout: request.user.auth_token.delete(): a Django queryset, related manager or model "
        "method"
    ]


@pytest.mark.parametrize(
    ("sources", "found"),
    [
        ([DJ_REST_AUTH_MODELS], True),
        (["from django.db import models\n"], False),
        ([OWN_TOKEN_MODELS], False),
    ],
)
def test_auth_token_is_authtoken_s_where_src_imports_it_and_names_no_relation_so(
    sources: list[str], found: bool
) -> None:
    assert authtoken_accessor(sources) is found


class _Missing(LookupError, AttributeError):
    pass


class _Accessor:
    RelatedObjectDoesNotExist = _Missing


class User:
    """A Django user as `user_token` reads it: `_meta`, `pk`, the class's `auth_token`."""

    _meta = object()
    auth_token = _Accessor()

    def __init__(self, pk: int) -> None:
        self.pk = pk


class AnonymousUser:
    pk = None


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as found:
        found.add(AuthtokenToken(key="k1", user_id=1))
        found.commit()
        yield found


def test_the_users_token_row_is_read_through_the_lazy_request_user(session: Session) -> None:
    token = user_token(session, SimpleLazyObject(lambda: User(1)))
    assert (token.key, token.pk, AuthtokenToken.__tablename__) == ("k1", "k1", "authtoken_token")


def test_a_user_without_a_token_raises_the_accessors_related_object_does_not_exist(
    session: Session,
) -> None:
    with pytest.raises(_Missing, match=r"User has no auth_token\."):
        user_token(session, User(2))


def test_a_user_that_is_no_model_instance_has_no_token_attribute(session: Session) -> None:
    with pytest.raises(AttributeError, match="'AnonymousUser' object has no attribute"):
        user_token(session, SimpleLazyObject(AnonymousUser))
