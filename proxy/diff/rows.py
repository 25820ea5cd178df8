"""The rows a request inserted, updated or deleted, as a document the structural diff can walk.

Row changes become `rows.<table>[<pk>]` -> the row after the request (`"<deleted>"` for a deleted
row), listing only the rows that changed. Two sides that started from the same state and changed
the same rows the same way give equal documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from proxy.diff.paths import RowKey

DELETED = "<deleted>"

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TableChanges:
    inserted: dict[str, Row] = field(default_factory=dict)
    updated: dict[str, Row] = field(default_factory=dict)
    deleted: dict[str, Row] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


@dataclass(frozen=True, slots=True)
class RowChanges:
    tables: dict[str, TableChanges] = field(default_factory=dict)

    @classmethod
    def between(
        cls, before: Mapping[str, Mapping[str, Row]], after: Mapping[str, Mapping[str, Row]]
    ) -> RowChanges:
        """Row changes from two snapshots (table -> primary key text -> row)."""
        tables: dict[str, TableChanges] = {}
        for table in sorted(set(before) | set(after)):
            old, new = before.get(table, {}), after.get(table, {})
            changes = TableChanges(
                inserted={k: dict(new[k]) for k in new.keys() - old.keys()},
                updated={k: dict(new[k]) for k in new.keys() & old.keys() if new[k] != old[k]},
                deleted={k: dict(old[k]) for k in old.keys() - new.keys()},
            )
            if changes:
                tables[table] = changes
        return cls(tables)

    def __bool__(self) -> bool:
        return bool(self.tables)

    def as_document(self) -> dict[str, dict[RowKey, Any]]:
        document: dict[str, dict[RowKey, Any]] = {}
        for table, changes in self.tables.items():
            rows: dict[RowKey, Any] = {}
            for key, row in changes.inserted.items():
                rows[RowKey(key)] = {"<inserted>": True, **row}
            for key, row in changes.updated.items():
                rows[RowKey(key)] = dict(row)
            for key in changes.deleted:
                rows[RowKey(key)] = DELETED
            document[table] = rows
        return document

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            table: {
                "inserted": len(c.inserted),
                "updated": len(c.updated),
                "deleted": len(c.deleted),
            }
            for table, c in self.tables.items()
        }
