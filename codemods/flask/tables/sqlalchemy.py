"""Flask-SQLAlchemy `db.X` column types -> SQLAlchemy 2.0 names and Python types
(docs/mappings.md, "Flask-SQLAlchemy model -> SQLAlchemy 2.0")."""

from __future__ import annotations

import re

# db.<type> -> (sqlalchemy name, Python type for Mapped[...], module the Python type comes from)
COLUMN_TYPES: dict[str, tuple[str, str, str | None]] = {
    "Integer": ("Integer", "int", None),
    "BigInteger": ("BigInteger", "int", None),
    "SmallInteger": ("SmallInteger", "int", None),
    "String": ("String", "str", None),
    "Text": ("Text", "str", None),
    "Unicode": ("Unicode", "str", None),
    "UnicodeText": ("UnicodeText", "str", None),
    "Boolean": ("Boolean", "bool", None),
    "DateTime": ("DateTime", "datetime", "datetime"),
    "Date": ("Date", "date", "datetime"),
    "Time": ("Time", "time", "datetime"),
    "Interval": ("Interval", "timedelta", "datetime"),
    "Numeric": ("Numeric", "Decimal", "decimal"),
    "Float": ("Float", "float", None),
    "LargeBinary": ("LargeBinary", "bytes", None),
    "JSON": ("JSON", "Any", "typing"),
    "Enum": ("Enum", "str", None),
    "Uuid": ("Uuid", "UUID", "uuid"),
}

# db.<name> used inside models -> where it comes from in SQLAlchemy 2.0
ORM_NAMES: dict[str, str] = {
    "relationship": "sqlalchemy.orm",
    "backref": "sqlalchemy.orm",
    "ForeignKey": "sqlalchemy",
    "UniqueConstraint": "sqlalchemy",
    "Index": "sqlalchemy",
    "CheckConstraint": "sqlalchemy",
    "Table": "sqlalchemy",
    "func": "sqlalchemy",
}


def default_table_name(class_name: str) -> str:
    """Flask-SQLAlchemy 3's `camel_to_snake_case`: `OrderLine` -> `order_line`."""
    name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", class_name)
    return name.lower().lstrip("_")
