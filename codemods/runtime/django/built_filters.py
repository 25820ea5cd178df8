"""Django's `filter(**lookups)` of a dict a view builds at run time (written by
codemods/django/built_filters.py): the codemod knows every key the dict may hold and gives each
its condition. Permanent.

    QueryLog.objects.filter(**kwargs)
->  filtered_by(select(tables.QueryLog), kwargs, {"query_id": lambda value: ...})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Select


def filtered_by(
    statement: Select[Any],
    lookups: Mapping[str, Any],
    conditions: Mapping[str, Callable[[Any], Any]],
) -> Select[Any]:
    """The statement with the condition of each lookup the dict holds, given its value."""
    found = [conditions[key](value) for key, value in lookups.items()]
    return statement.where(*found) if found else statement
