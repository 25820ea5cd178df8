"""The rows a call wrote: two snapshots of the sandbox's database (the adapter's `rows`, read
before and after the call: `{table: [row, ...]}`, each row a list of JSON values, the values a
run cannot repeat already masked by the adapter) and what changed between them, per table: the
rows added and the rows removed (an update is one of each). Both sides of a route are called from
the same state, so what they wrote must be the same.

A random UUID the call made (version 4, as text, with or without dashes) is no more repeatable
than a time stamp, wherever the code made it: one found in no row before the call is masked
(`NEW_UUID`; django-sql-explorer stores `str(uuid4())` on first use, a value no declared default
gives). One the database held before (a row's key copied into another) is compared as written.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

Snapshot = dict[str, list[list[Any]]]
NEW_UUID = "<a new random uuid>"
_UUID4 = re.compile(
    r"[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}", re.IGNORECASE
)


def written(before: Snapshot, after: Snapshot) -> dict[str, dict[str, list[list[Any]]]]:
    """Per table that changed: its rows `added` and `removed` (sorted, so that two sides that
    wrote the same rows in another order compare equal). A table whose rows are the same
    before and after is passed by unread: no value of it is new, so none is masked."""
    known: set[str] | None = None
    changes: dict[str, dict[str, list[list[Any]]]] = {}
    for table in sorted(set(before) | set(after)):
        if before.get(table) == after.get(table):
            continue
        if known is None:
            known = {
                v for rows in before.values() for row in rows for v in row if isinstance(v, str)
            }
        old = Counter(json.dumps(row) for row in before.get(table, []))
        new = Counter(json.dumps(_new_uuids_masked(row, known)) for row in after.get(table, []))
        added = sorted((new - old).elements())
        removed = sorted((old - new).elements())
        if added or removed:
            changes[table] = {
                "added": [json.loads(row) for row in added],
                "removed": [json.loads(row) for row in removed],
            }
    return changes


def _new_uuids_masked(row: list[Any], known: set[str]) -> list[Any]:
    return [
        NEW_UUID
        if isinstance(value, str) and value not in known and _UUID4.fullmatch(value)
        else value
        for value in row
    ]


def describe(changes: dict[str, dict[str, list[list[Any]]]]) -> str:
    """`table +2 -1` per table, or `no row`."""
    parts = [
        f"{table} +{len(change['added'])} -{len(change['removed'])}"
        for table, change in changes.items()
    ]
    return ", ".join(parts) or "no row"


def difference(
    legacy: dict[str, dict[str, list[list[Any]]]], new: dict[str, dict[str, list[list[Any]]]]
) -> str | None:
    """What differs between the rows the two sides wrote, or None."""
    if legacy == new:
        return None
    for table in sorted(set(legacy) | set(new)):
        if legacy.get(table) != new.get(table):
            old, fresh = legacy.get(table, {}), new.get(table, {})
            return (f"rows written differ in {table}: legacy {_rows(old)}, new {_rows(fresh)}")[
                :600
            ]
    return None


def _rows(change: dict[str, list[list[Any]]]) -> str:
    if not change:
        return "none"
    return f"added {change.get('added', [])} removed {change.get('removed', [])}"
