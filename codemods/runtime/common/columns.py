"""Column types the generated models need beyond SQLAlchemy's own. Permanent.

`AwareDateTime`: Django (`USE_TZ = True`) reads every datetime back aware, in UTC. SQLAlchemy's
`DateTime(timezone=True)` does so on PostgreSQL only; on SQLite (which has no time zones) it
answers naive values, so `created.isoformat()` would lose the `+00:00` Django's side prints.
This type stores UTC (naive on SQLite, as Django writes it there) and reads back aware UTC on
every database. On SQLite it binds the text Django writes there (`str(value)`: no fraction at a
whole second), so a comparison in SQL is Django's: SQLAlchemy's own SQLite format always writes
`.000000`, and `"... 00:00:00" < "... 00:00:00.000000"` made a row Django wrote at a whole second
differ from that very datetime.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class AwareDateTime(TypeDecorator[datetime]):
    """A datetime column read and written as Django does under `USE_TZ = True`."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":  # Django's text, bound as it is (process_bind_param)
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return str(value.replace(tzinfo=None)) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
