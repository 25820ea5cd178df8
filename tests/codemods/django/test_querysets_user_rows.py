"""The user's one-to-one row (`user.st`) and a related manager read on a row's attribute
(`private.topic.comment_set`) -> SQLAlchemy (querysets.py)."""

from __future__ import annotations

import libcst as cst

from codemods.django.model_relations import Relation
from codemods.django.querysets import translate

MODELS = frozenset({"Profile", "Topic"})
RELATIONS = {
    "Profile": {
        "user": Relation("OneToOneField", mapped=False, to_user=True, related_name="st"),
    },
    "Comment": {
        "topic": Relation("ForeignKey", mapped=True, target="Topic", default_reverse=True),
    },
}


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS).code


def test_the_users_one_to_one_row_is_the_row_keyed_to_the_user() -> None:
    assert sql("request.user.st") == (
        "get_one(session, select(tables.Profile).where(tables.Profile.user_id == "
        "pk_of(request.user)), Profile)"
    )


def test_a_related_manager_of_a_rows_attribute_is_keyed_to_that_attribute() -> None:
    assert sql("private.topic.comment_set.count()") == (
        "session.scalar(select(func.count()).select_from(select(tables.Comment).where("
        "tables.Comment.topic_id == pk_of(private.topic)).subquery()))"
    )
