"""Rows grouped by conversation: the SQLAlchemy form of the query django-postman's folders build
by hand (`MessageManager._folder` without `option`: a `PostmanQuery` joining raw SQL, and a
`RawSQL('PM.count')` annotation). Permanent.

Django's SQL (sqlite, the inbox; `<lookups>` the folder's filters):

    SELECT postman_message.*, (PM.count) AS count FROM postman_message
    INNER JOIN (SELECT id AS id2, 0 AS count FROM postman_message
                WHERE <lookups> AND thread_id IS NULL
                UNION
                SELECT MAX(id) AS id2, COUNT(id) AS count FROM postman_message
                WHERE <lookups> AND thread_id IS NOT NULL GROUP BY thread_id) PM
    ON (postman_message.id = PM.id2)

that is: each matching row outside any thread, counted 0, and each thread's latest matching
row (its greatest key), counted with the thread's matching rows. `latest_per_thread` selects
the same rows and counts; `annotated(session.execute(stmt), "count")` gives the instances their
`count` as Django's annotation does, and `ordered(stmt)` the model's default ordering.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select, union
from sqlalchemy.orm import InstrumentedAttribute

COUNT = "count"


def latest_per_thread(
    model: Any, thread: InstrumentedAttribute[Any], *conditions: ColumnElement[bool]
) -> Select[Any]:
    """`select(model, count)`: the rows matching `conditions` outside any thread (`thread` is
    null), counted 0, and each thread's latest matching row, counted with its matching rows."""
    (key,) = model.__mapper__.primary_key
    alone = select(key.label("id2"), literal(0).label(COUNT)).where(*conditions, thread.is_(None))
    latest = (
        select(func.max(key).label("id2"), func.count(key).label(COUNT))
        .where(*conditions, thread.is_not(None))
        .group_by(thread)
    )
    grouped = union(alone, latest).subquery("pm")
    return select(model, grouped.c[COUNT]).join(grouped, key == grouped.c.id2)
