"""Django model fields -> SQLAlchemy 2.0 column types and Pydantic types
(docs/mappings.md, "Django model field -> SQLAlchemy 2.0")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnType:
    sqlalchemy: str  # the SQLAlchemy type; `{length}` / `{digits}` are filled from the field
    python_type: str  # the Python type for `Mapped[...]` and the schema
    python_module: str | None = None  # where the Python type is imported from
    default_length: int | None = None  # Django's default max_length
    check: str | None = None  # a CHECK Django adds: `{column}` is the column name
    type_module: str = "sqlalchemy"  # where the SQLAlchemy type is imported from


AWARE_DATETIME = "codemods.runtime.common.columns"  # AwareDateTime: UTC-aware on every database


FIELDS: dict[str, ColumnType] = {
    "AutoField": ColumnType("Integer", "int"),
    "BigAutoField": ColumnType("BigInteger", "int"),
    "SmallAutoField": ColumnType("SmallInteger", "int"),
    "CharField": ColumnType("String({length})", "str"),
    "SlugField": ColumnType("String({length})", "str", default_length=50),
    "EmailField": ColumnType("String({length})", "str", default_length=254),
    "URLField": ColumnType("String({length})", "str", default_length=200),
    "FileField": ColumnType("String({length})", "str", default_length=100),
    "ImageField": ColumnType("String({length})", "str", default_length=100),
    "FilePathField": ColumnType("String({length})", "str", default_length=100),
    "GenericIPAddressField": ColumnType("String(39)", "str"),
    "TextField": ColumnType("Text", "str"),
    "IntegerField": ColumnType("Integer", "int"),
    "BigIntegerField": ColumnType("BigInteger", "int"),
    "SmallIntegerField": ColumnType("SmallInteger", "int"),
    "PositiveIntegerField": ColumnType("Integer", "int", check='"{column}" >= 0'),
    "PositiveBigIntegerField": ColumnType("BigInteger", "int", check='"{column}" >= 0'),
    "PositiveSmallIntegerField": ColumnType("SmallInteger", "int", check='"{column}" >= 0'),
    "BooleanField": ColumnType("Boolean", "bool"),
    "DateTimeField": ColumnType(
        "AwareDateTime", "datetime", "datetime", type_module=AWARE_DATETIME
    ),
    "DateField": ColumnType("Date", "date", "datetime"),
    "TimeField": ColumnType("Time", "time", "datetime"),
    "DurationField": ColumnType("Interval", "timedelta", "datetime"),
    "DecimalField": ColumnType("Numeric({digits})", "Decimal", "decimal"),
    "FloatField": ColumnType("Float", "float"),
    "UUIDField": ColumnType("Uuid", "UUID", "uuid"),
    "JSONField": ColumnType("JSON", "Any", "typing"),
    "BinaryField": ColumnType("LargeBinary", "bytes"),
}

# The fields whose `get_default()` is "" when they have no default= and are not null=True
# (Django's `empty_strings_allowed`): an instance made without them saves "", not NULL.
EMPTY_STRING_DEFAULT: frozenset[str] = frozenset(
    {
        "CharField",
        "SlugField",
        "EmailField",
        "URLField",
        "FileField",
        "ImageField",
        "FilePathField",
        "TextField",
    }
)

# Relations: a `<name>_id` column (ForeignKey, OneToOneField) or an association table.
RELATIONS: dict[str, str] = {
    "ForeignKey": "many-to-one: a <name>_id column, ForeignKey, relationship",
    "OneToOneField": "one-to-one: a unique <name>_id column, ForeignKey, relationship",
    "ManyToManyField": "the association table <app>_<model>_<field>, relationship(secondary=)",
}

# Field options -> what they become; options not listed are reported `partial`.
OPTIONS: dict[str, str] = {
    "null": "nullable=True, `T | None`",
    "blank": "no column change (a form/validation option)",
    "default": "default=",
    "unique": "unique=True",
    "db_index": "index=True",
    "db_column": "the column's name",
    "primary_key": "primary_key=True (no implicit id)",
    "choices": "Literal of the values in the schema; TextChoices/IntegerChoices become enums",
    "max_length": "String(max_length)",
    "max_digits": "Numeric(max_digits, decimal_places)",
    "decimal_places": "Numeric(max_digits, decimal_places)",
    "auto_now": "default= and onupdate= the current time",
    "auto_now_add": "default= the current time",
    "on_delete": "CASCADE: relationship cascade (Django emulates it, no ON DELETE in the table)",
    "related_name": "backref=",
    "verbose_name": "dropped (labels only)",
    "help_text": "dropped (labels only)",
    "editable": "dropped (admin/forms only)",
}

# Django's choices classes -> the Python enum base they become.
CHOICES_CLASSES: dict[str, str] = {
    "TextChoices": "StrEnum",
    "IntegerChoices": "IntEnum",
}


def table_name(app_label: str, model: str) -> str:
    """Django's default `db_table`: `<app_label>_<model name lower-cased>`."""
    return f"{app_label}_{model.lower()}"


def m2m_table_name(table: str, field: str) -> str:
    """Django's auto-created through table: `<model table>_<field>`."""
    return f"{table}_{field}"


# settings.AUTH_USER_MODEL by default: django.contrib.auth's User.
AUTH_USER_TABLE = "auth_user"


# The columns Django's migrations give auth_user (django.contrib.auth's User; its id is an
# AutoField, auth's default_auto_field). Groups and permissions are left out: a model of SRC that
# references them is reported instead. `{datetime}` is the module's name for datetime.datetime.
AUTH_USER_COLUMNS: tuple[str, ...] = (
    "id: Mapped[int] = mapped_column(Integer, primary_key=True)",
    "password: Mapped[str] = mapped_column(String(128))",
    "last_login: Mapped[{datetime} | None] = mapped_column(AwareDateTime, nullable=True)",
    "is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)",
    "username: Mapped[str] = mapped_column(String(150), unique=True)",
    'first_name: Mapped[str] = mapped_column(String(150), default="")',
    'last_name: Mapped[str] = mapped_column(String(150), default="")',
    'email: Mapped[str] = mapped_column(String(254), default="")',
    "is_staff: Mapped[bool] = mapped_column(Boolean, default=False)",
    "is_active: Mapped[bool] = mapped_column(Boolean, default=True)",
    "date_joined: Mapped[{datetime}] = mapped_column(AwareDateTime, default=_now)",
)
AUTH_USER_IMPORTS: tuple[tuple[str, str], ...] = (
    ("sqlalchemy", "Integer"),
    ("sqlalchemy", "String"),
    ("sqlalchemy", "Boolean"),
    (AWARE_DATETIME, "AwareDateTime"),
    ("sqlalchemy.orm", "Mapped"),
    ("sqlalchemy.orm", "mapped_column"),
    ("codemods.runtime.django.rows", "DjangoEquality"),
)


# the methods of Django's AbstractUser the generated User has, as Django's (no query in them)
AUTH_USER_METHODS = frozenset({"get_full_name", "get_short_name"})


def auth_user_class(name: str, stamp: str) -> str:
    """The code of django.contrib.auth's User as the class `name` on auth_user, its date columns
    typed `stamp` (the module's name for `datetime`)."""
    columns = "\n".join(f"    {line.replace('{datetime}', stamp)}" for line in AUTH_USER_COLUMNS)
    return (
        f"class {name}(DjangoEquality, Base):\n"
        '    """django.contrib.auth\'s User (settings.AUTH_USER_MODEL), on the table Django '
        'created."""\n\n'
        f'    __tablename__ = "{AUTH_USER_TABLE}"\n\n'
        f"{columns}\n\n"
        "    @property\n"
        "    def pk(self):\n"
        '        """The primary key, as Django\'s `user.pk`."""\n'
        "        return self.id\n\n"
        "    def __str__(self):\n"
        "        return self.username\n\n"
        "    def get_full_name(self):\n"
        '        """first_name and last_name with a space between, as Django\'s."""\n'
        '        return f"{self.first_name} {self.last_name}".strip()\n\n'
        "    def get_short_name(self):\n"
        '        """first_name, as Django\'s."""\n'
        "        return self.first_name\n"
    )
