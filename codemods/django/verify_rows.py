"""What the sandbox's databases hold, table by table, for comparing the rows a form's submission
wrote on each side (codemods/engine/verify/rows.py). Read straight from the SQLite files (every
database of the verification is one: verify_legacy.py), so both sides are read the same way
whatever holds their connections.

A value no second run would repeat is masked, by what Django's model says of its column: a
date or date-time written during the call (`auto_now`, `timezone.now()` in a view: at or after
the moment the call started, in the database's clock: UTC with `USE_TZ`, else local time; a
time stamp kept as text too), a default that gives a new value per call (`uuid4`), a Fernet
token (its random IV), a password hash (its salt), a duration the call measured on its own
clock (a number column named for one, `duration` or `elapsed`: only whether it holds a number,
none or a negative one is kept), and the rows of the session table (their keys); the rest is
compared as written, an earlier date-time too (so an `auto_now` column a save touched shows as
a changed row).
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SESSION_TABLE = "django_session"
NOW = "<now>"
MASKED = "<differs per run>"
MIN_RANDOM_TEXT = 8  # shorter values are masked in rows only (they may be any word of a mail)
MEASURED = "<measured>"


def snapshot(since: float) -> dict[str, list[list[Any]]]:
    """`{"alias.table": [row, ...]}` of every database, values JSON-ready and masked (a date or
    time at or after `since`, a time stamp, is "now")."""
    from django.conf import settings

    columns = _masked_columns()
    utc = datetime.datetime.fromtimestamp(since, datetime.UTC).replace(tzinfo=None)
    moment = Moment(utc if settings.USE_TZ else datetime.datetime.fromtimestamp(since), utc)
    found: dict[str, list[list[Any]]] = {}
    for alias, database in settings.DATABASES.items():
        connection = reader(str(database["NAME"]))
        for table in _tables(connection):
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            kinds = [columns.get((table, n)) for n in names]
            found[f"{alias}.{table}"] = [
                [_value(v, kind, table, moment) for v, kind in zip(row, kinds, strict=True)]
                for row in cursor.fetchall()
            ]
    return found


def random_values() -> set[str]:
    """The values the databases hold in columns of a per-call default (`uuid4`, an activation
    code: `_varies`), as text: mail quoting one (a link holding the code) masks it too
    (verify_mail.py)."""
    from django.conf import settings

    columns = [key for key, kind in _masked_columns().items() if kind == "random"]
    found: set[str] = set()
    for database in settings.DATABASES.values():
        connection = reader(str(database["NAME"]))
        tables = set(_tables(connection))
        for table, column in columns:
            if table in tables:
                query = f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
                found |= {str(row[0]) for row in connection.execute(query)}
    return {value for value in found if len(value) >= MIN_RANDOM_TEXT}


READERS: dict[tuple[str, int, int], sqlite3.Connection] = {}


def reader(name: str) -> sqlite3.Connection:
    """A read-only connection to the database file `name`, kept for the rest of the process (a
    child's run): it reads what either side and `put_back` wrote into that file from its next
    statement, and keeps the schema it parsed and its prepared statements. A connection per
    reading parsed django-spirit's schema twice per reading, four readings per submission:
    a third of the readings' time. Keyed by the file's inode too: a file made anew gets a new
    connection."""
    status = os.stat(name)
    key = (name, status.st_dev, status.st_ino)
    connection = READERS.get(key)
    if connection is None:
        uri = f"file:{name}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)
        READERS[key] = connection
    return connection


def _tables(connection: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return sorted(row[0] for row in connection.execute(query))


def keep() -> None:
    """A copy of every database (SQLite's backup: consistent, whatever is open), for
    `put_back`, outside the sandbox's state folders (those are put back between the sides)."""
    kept = KEPT[0] = Path.cwd().parent / "form-pass"  # beside the child's working folder
    kept.mkdir(exist_ok=True)
    for alias, name in _files():
        _backup(name, str(kept / f"{alias}.sqlite3"))


def put_back() -> None:
    """Every database as `keep` found it, written into the file in place: the connections
    either side holds open read it from their next statement."""
    from django.db import connections

    connections.close_all()
    for alias, name in _files():
        kept = KEPT[0] / f"{alias}.sqlite3"
        if not kept.is_file():
            raise FileNotFoundError(f"no kept copy of the {alias} database")
        mark = _written_mark(name)
        if mark is not None and PUT_BACK.get(name) == mark:
            continue  # nothing written since it was last put back: it is the kept copy
        _backup(str(kept), name)
        PUT_BACK[name] = _written_mark(name)


KEPT = [Path("form-pass")]  # where `keep` put the copies
PUT_BACK: dict[str, tuple[bytes, int, int] | None] = {}  # file -> its mark when put back


def _written_mark(name: str) -> tuple[bytes, int, int] | None:
    """What any write to the database file `name` changes: the change counter of its header
    (SQLite adds one on every write transaction), its size and modification time; None when
    it has a write-ahead log (its writes may not have reached the file yet)."""
    wal = Path(f"{name}-wal")
    if wal.exists() and wal.stat().st_size:
        return None
    with open(name, "rb") as file:
        file.seek(24)
        counter = file.read(4)
        status = os.fstat(file.fileno())
    return counter, status.st_size, status.st_mtime_ns


def _files() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(alias, str(database["NAME"])) for alias, database in settings.DATABASES.items()]


def _backup(source: str, target: str) -> None:
    origin, destination = sqlite3.connect(source, timeout=10), sqlite3.connect(target, timeout=10)
    try:
        origin.backup(destination)
    finally:
        origin.close()
        destination.close()


@functools.cache
def _masked_columns() -> dict[tuple[str, str], str]:
    """(table, column) -> how its values are masked: "moment" (a date, time or date-time: those
    written during the call), "random" (a per-call default), "password", "measured" (a
    duration the call timed)."""
    from django.apps import apps
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db import models

    found: dict[tuple[str, str], str] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        for field in model._meta.concrete_fields:
            key = (table, field.column)
            if isinstance(field, models.DateField | models.TimeField):
                found[key] = "moment"
            elif _varies(field):
                found[key] = "random"
            elif field.name == "password" and issubclass(model, AbstractBaseUser):
                found[key] = "password"
            elif measured(field):
                found[key] = "measured"
    return found


# A column holding how long something took: its name says so (`duration`, `elapsed`,
# `run_duration`, `time_taken`, `duration_ms`, ...), its field is a number or a timedelta.
DURATION_NAME = re.compile(
    r"(?:^|_)(?:duration|elapsed|elapsed_time|time_taken|execution_time|run_time)(?:_(?:s|ms|us|ns|secs?|seconds|millis|milliseconds))?$"
)
MEASURED_FIELDS = (
    "FloatField",
    "DecimalField",
    "DurationField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
)


def measured(field: Any) -> bool:
    """Whether a model field holds a duration the code times with a clock (django-sql-explorer's
    `QueryLog.duration`, `time() - start_time` around the query): its name reads as one and its
    type holds one. Two runs of the same call never measure the same value."""
    kinds = {klass.__name__ for klass in type(field).__mro__}
    return bool(DURATION_NAME.search(field.name)) and not kinds.isdisjoint(MEASURED_FIELDS)


def _varies(field: Any) -> bool:
    """A callable default giving a new value per call."""
    if not field.has_default() or not callable(field.default):
        return False
    try:
        return bool(field.default() != field.default())
    except Exception:
        return False


@dataclass(frozen=True)
class Moment:
    """When the call started, in the database's clock (naive values) and in UTC (values with an
    offset)."""

    naive: datetime.datetime
    utc: datetime.datetime


def _value(value: Any, kind: str | None, table: str, moment: Moment) -> Any:
    if table == SESSION_TABLE:
        return MASKED
    if isinstance(value, bytes):
        value = value.hex()
    if value is None:
        return value
    if kind == "random":
        return MASKED
    if kind == "password":
        return "<unusable password>" if str(value).startswith("!") else "<password hash>"
    if kind == "measured":
        return _measured_value(value)
    if kind == "moment" and _since(str(value), moment):
        return NOW
    if isinstance(value, str) and STAMP.match(value) and _since(value, moment):
        return NOW  # a time stamp kept as text (a settings row's `_updated_at`)
    if isinstance(value, str) and FERNET.match(value):
        return ENCRYPTED
    return value


def _measured_value(value: Any) -> Any:
    """A measured duration: MEASURED for a number at or above zero (a timedelta is kept as a
    number of microseconds by SQLite), else the value as written."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)
        except (TypeError, ValueError):
            return value
    return MEASURED if value >= 0 else value


# A Fernet token (version 0x80, its time stamp, a random IV), as text or as the hex of its
# bytes: the same value encrypts differently each time (django-sql-explorer's credentials).
FERNET = re.compile(r"gAAAAA[A-Za-z0-9_\-]{90,}={0,2}$|80[0-9a-f]{16}[0-9a-f]{128,}$")
ENCRYPTED = "<encrypted>"
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _since(text: str, moment: Moment) -> bool:
    """Whether a stored date or date-time is at or after `moment` (a date: its day; a time of
    day has no day: compared as written)."""
    for kind in (datetime.datetime, datetime.date, datetime.time):
        try:
            value = kind.fromisoformat(text)
        except ValueError:
            continue
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                return value.astimezone(datetime.UTC).replace(tzinfo=None) >= moment.utc
            return value >= moment.naive
        if isinstance(value, datetime.date):
            return value >= moment.naive.date()
        return False
    return False
