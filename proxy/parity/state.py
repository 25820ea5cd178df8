"""Same starting state for every call, and the rows each call changed.

`SqliteState` keeps a golden copy of the database (SQLite's online backup API, safe while the
apps hold open connections), restores it before a call when the previous call wrote anything, and
tells which rows a call inserted, updated or deleted by comparing table snapshots. Whether a call
wrote at all is read from the file change counter in the database header, so read-only calls cost
no snapshot and no restore (in WAL mode the counter is not reliable, so every call is snapshotted).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from proxy.diff import RowChanges

Snapshot = dict[str, dict[str, dict[str, Any]]]


class DatabaseState(Protocol):
    def checkpoint(self) -> None:
        """Take the current database content as the state every call starts from."""

    def reset(self) -> None:
        """Bring the database back to the checkpoint (cheap when nothing changed since)."""

    def changes(self) -> RowChanges:
        """The rows changed since the last reset."""

    def close(self) -> None:
        """Put the database back as it was before parity started."""


class SqliteState:
    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise FileNotFoundError(f"database {path} does not exist")
        self.path = path
        self._original = self._copy_to_memory()
        self._golden = self._original
        self._golden_snapshot: Snapshot = {}
        self._counter_after_reset: bytes | None = None
        self._dirty = False
        self.checkpoint()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def _copy_to_memory(self) -> sqlite3.Connection:
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        with self._connect() as source:
            source.backup(memory)
        source.close()
        return memory

    def _change_counter(self) -> bytes | None:
        with open(self.path, "rb") as handle:
            header = handle.read(28)
        wal = len(header) >= 20 and header[18] == 2
        return None if wal or len(header) < 28 else header[24:28]

    def checkpoint(self) -> None:
        self._golden = self._copy_to_memory()
        self._golden_snapshot = snapshot_sqlite(self._golden)
        self._counter_after_reset = self._change_counter()
        self._dirty = False

    def reset(self) -> None:
        if not self._dirty and not self._wrote():
            return
        target = self._connect()
        try:
            # A scratch copy during the run: no fsync needed (the original is put back at close).
            target.execute("PRAGMA synchronous = OFF")
            self._golden.backup(target)
        finally:
            target.close()
        self._counter_after_reset = self._change_counter()
        self._dirty = False

    def _wrote(self) -> bool:
        counter = self._change_counter()
        return counter is None or counter != self._counter_after_reset

    def changes(self) -> RowChanges:
        if not self._wrote():
            return RowChanges()
        self._dirty = True
        connection = self._connect()
        try:
            after = snapshot_sqlite(connection)
        finally:
            connection.close()
        return RowChanges.between(self._golden_snapshot, after)

    def close(self) -> None:
        target = self._connect()
        try:
            self._original.backup(target)
        finally:
            target.close()


def snapshot_sqlite(connection: sqlite3.Connection) -> Snapshot:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master"
            " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    snapshot: Snapshot = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        info = connection.execute(f"PRAGMA table_info({quoted})").fetchall()
        columns = [row[1] for row in info]
        keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5] > 0]
        select = f"SELECT {'rowid, ' if not keys else ''}* FROM {quoted}"
        rows: dict[str, dict[str, Any]] = {}
        for values in connection.execute(select):
            if keys:
                row = dict(zip(columns, values, strict=True))
                key = ",".join(f"{k}={row[k]}" for k in keys)
            else:
                row = dict(zip(columns, values[1:], strict=True))
                key = f"rowid={values[0]}"
            rows[key] = {name: plain(value) for name, value in row.items()}
        snapshot[table] = rows
    return snapshot


def plain(value: Any) -> Any:
    """A database value as JSON-like data, so row changes diff like response bodies."""
    if isinstance(value, bytes):
        return "base64:" + base64.b64encode(value).decode()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # UUID, IP addresses, ranges...
