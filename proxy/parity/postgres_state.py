"""Same starting state on PostgreSQL: template databases.

At the start, the database is cloned twice (`CREATE DATABASE ... TEMPLATE ...`): an untouched
original, put back when the run ends, and the golden state every call starts from (taken again
after logins). After a call that changed rows, the database is dropped and re-created from the
golden template, which also restores sequences. Cloning needs the source database to have no
session, so the apps' pooled connections are terminated first: the apps must reconnect on their
own (SQLAlchemy `pool_pre_ping=True`, Django `CONN_HEALTH_CHECKS`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from proxy.diff import RowChanges
from proxy.parity.state import Snapshot, plain
from proxy.redact import without_credentials

_TABLES = """
SELECT n.nspname, c.relname, c.oid
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY 1, 2
"""

_PRIMARY_KEY = """
SELECT a.attname
FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = %s AND i.indisprimary
ORDER BY array_position(i.indkey, a.attnum)
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def libpq_url(url: str) -> str:
    """`postgresql+psycopg://...` (SQLAlchemy spelling) as libpq reads it."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


class PostgresTemplateState:
    def __init__(self, url: str) -> None:
        import psycopg

        self.url = libpq_url(url)
        parts = urlsplit(self.url)
        self.name = parts.path.lstrip("/")
        if not self.name:
            raise ValueError(f"{without_credentials(url)}: no database name")
        stem = self.name[:40]
        self.original = f"{stem}_parity_original"
        self.golden = f"{stem}_parity_golden"
        admin = urlunsplit(parts._replace(path="/postgres"))
        try:
            self._admin = psycopg.connect(admin, autocommit=True)
        except psycopg.Error as error:
            raise ValueError(f"cannot reach PostgreSQL for {self.name}: {error}") from None
        self._golden_snapshot: Snapshot = {}
        self._dirty = False
        self._clone(self.name, self.original)
        self.checkpoint()

    def _terminate(self, database: str) -> None:
        self._admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )

    def _clone(self, source: str, target: str) -> None:
        self._terminate(source)
        self._admin.execute(f"DROP DATABASE IF EXISTS {_quote(target)} WITH (FORCE)")
        self._admin.execute(f"CREATE DATABASE {_quote(target)} TEMPLATE {_quote(source)}")

    def _recreate_from(self, template: str) -> None:
        self._admin.execute(f"DROP DATABASE IF EXISTS {_quote(self.name)} WITH (FORCE)")
        self._admin.execute(f"CREATE DATABASE {_quote(self.name)} TEMPLATE {_quote(template)}")

    def checkpoint(self) -> None:
        self._clone(self.name, self.golden)
        self._golden_snapshot = self.snapshot()
        self._dirty = False

    def reset(self) -> None:
        if self._dirty:
            self._recreate_from(self.golden)
            self._dirty = False

    def changes(self) -> RowChanges:
        changes = RowChanges.between(self._golden_snapshot, self.snapshot())
        if changes:
            self._dirty = True
        return changes

    def close(self) -> None:
        try:
            self._recreate_from(self.original)
        finally:
            for name in (self.golden, self.original):
                self._admin.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
            self._admin.close()

    def snapshot(self) -> Snapshot:
        import psycopg

        snapshot: Snapshot = {}
        with psycopg.connect(self.url, autocommit=True) as connection:
            for schema, table, oid in connection.execute(_TABLES).fetchall():
                keys = [k for (k,) in connection.execute(_PRIMARY_KEY, [oid])]
                cursor = connection.execute(f"SELECT * FROM {_quote(schema)}.{_quote(table)}")
                columns = [c.name for c in cursor.description or ()]
                rows: dict[str, dict[str, Any]] = {}
                for values in cursor:
                    row = {c: plain(v) for c, v in zip(columns, values, strict=True)}
                    key = (
                        ",".join(f"{k}={row[k]}" for k in keys)
                        if keys
                        else "row=" + json.dumps(row, sort_keys=True, default=str)
                    )
                    rows[key] = row
                snapshot[table if schema == "public" else f"{schema}.{table}"] = rows
        return snapshot
