"""The embedded default: one SQLite file in WAL mode, beside the config.

Every worker of every process on the host opens the same file. A change is one `BEGIN
IMMEDIATE` transaction (the write lock) that checks the version, writes the state, appends the
audit entry and bumps the generation; readers are never blocked (WAL).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from proxy.store.base import REPORTS_KEPT_SECONDS, StateStore, next_state
from proxy.store.model import (
    AuditEntry,
    Desired,
    RouteKey,
    RouteState,
    StoreUnreachable,
    VersionConflict,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS route_state (
    route TEXT PRIMARY KEY,
    state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    route TEXT NOT NULL,
    entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_route ON audit (route, id);
CREATE TABLE IF NOT EXISTS generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO generation (id, value) VALUES (1, 0);
CREATE TABLE IF NOT EXISTS worker_report (
    worker TEXT PRIMARY KEY,
    at REAL NOT NULL,
    report TEXT NOT NULL
);
"""


class SqliteStore(StateStore):
    def __init__(self, path: Path, *, busy_timeout: float = 5.0) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._transaction():
                for statement in filter(str.strip, SCHEMA.split(";")):
                    self._db.execute(statement)
        except (sqlite3.Error, OSError) as error:
            raise StoreUnreachable(f"state store {self.url}: {error}") from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _reaching(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StoreUnreachable(f"state store {self.url}: {error}") from None

    def read_all(self) -> dict[RouteKey, RouteState]:
        with self._reaching(), self._lock:
            rows = self._db.execute("SELECT route, state FROM route_state").fetchall()
        return {RouteKey.parse(route): RouteState.from_text(state) for route, state in rows}

    def read(self, key: RouteKey) -> RouteState | None:
        with self._reaching(), self._lock:
            row = self._db.execute(
                "SELECT state FROM route_state WHERE route = ?", (str(key),)
            ).fetchone()
        return RouteState.from_text(row[0]) if row else None

    def compare_and_set(
        self, key: RouteKey, expected_version: int, desired: Desired, *, who: str, why: str = ""
    ) -> RouteState:
        with self._reaching(), self._transaction():
            row = self._db.execute(
                "SELECT state FROM route_state WHERE route = ?", (str(key),)
            ).fetchone()
            current = RouteState.from_text(row[0]) if row else None
            if (current.version if current else 0) != expected_version:
                raise VersionConflict(key, expected_version, current)
            state, entry = next_state(key, current, desired, who, why)
            self._db.execute(
                "INSERT INTO route_state (route, state) VALUES (?, ?) "
                "ON CONFLICT (route) DO UPDATE SET state = excluded.state",
                (str(key), state.to_text()),
            )
            self._db.execute(
                "INSERT INTO audit (route, entry) VALUES (?, ?)", (str(key), entry.to_text())
            )
            self._db.execute("UPDATE generation SET value = value + 1 WHERE id = 1")
        return state

    def audit(self, *, route: RouteKey | None = None, limit: int = 100) -> list[AuditEntry]:
        with self._reaching(), self._lock:
            if route is None:
                rows = self._db.execute(
                    "SELECT entry FROM audit ORDER BY id DESC LIMIT ?", (limit,)
                ).fetchall()
            else:
                rows = self._db.execute(
                    "SELECT entry FROM audit WHERE route = ? ORDER BY id DESC LIMIT ?",
                    (str(route), limit),
                ).fetchall()
        return [AuditEntry.from_text(entry) for (entry,) in reversed(rows)]

    def generation(self) -> int:
        with self._reaching(), self._lock:
            (value,) = self._db.execute("SELECT value FROM generation WHERE id = 1").fetchone()
        return int(value)

    def publish_report(self, worker: str, report: dict[str, Any]) -> None:
        now = time.time()
        with self._reaching(), self._transaction():
            self._db.execute(
                "INSERT INTO worker_report (worker, at, report) VALUES (?, ?, ?) "
                "ON CONFLICT (worker) DO UPDATE SET at = excluded.at, report = excluded.report",
                (worker, now, json.dumps(report, separators=(",", ":"))),
            )
            self._db.execute(
                "DELETE FROM worker_report WHERE at < ?", (now - REPORTS_KEPT_SECONDS,)
            )

    def reports(self) -> dict[str, dict[str, Any]]:
        with self._reaching(), self._lock:
            rows = self._db.execute("SELECT worker, report FROM worker_report").fetchall()
        return {worker: json.loads(report) for worker, report in rows}

    def close(self) -> None:
        with self._lock:
            self._db.close()
