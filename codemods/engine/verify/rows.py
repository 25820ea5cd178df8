"""The rows a call wrote: two snapshots of the sandbox's database (the adapter's `rows`, read
before and after the call: `{table: [row, ...]}`, each row a list of JSON values, the values a
run cannot repeat already masked by the adapter) and what changed between them, per table: the
rows added and the rows removed (an update is one of each). Both sides of a route are called from
the same state, so what they wrote must be the same."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

Snapshot = dict[str, list[list[Any]]]


def written(before: Snapshot, after: Snapshot) -> dict[str, dict[str, list[list[Any]]]]:
    """Per table that changed: its rows `added` and `removed` (sorted, so that two sides that
    wrote the same rows in another order compare equal)."""
    changes: dict[str, dict[str, list[list[Any]]]] = {}
    for table in sorted(set(before) | set(after)):
        old = Counter(json.dumps(row) for row in before.get(table, []))
        new = Counter(json.dumps(row) for row in after.get(table, []))
        added = sorted((new - old).elements())
        removed = sorted((old - new).elements())
        if added or removed:
            changes[table] = {
                "added": [json.loads(row) for row in added],
                "removed": [json.loads(row) for row in removed],
            }
    return changes


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
