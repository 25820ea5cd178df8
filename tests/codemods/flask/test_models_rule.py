"""The models rule: Flask-SQLAlchemy -> SQLAlchemy 2.0 declarative + Pydantic schemas."""

from pathlib import Path

import pytest

from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.rules.models import ModelsRule
from codemods.flask.tables.sqlalchemy import COLUMN_TYPES, default_table_name
from tests.codemods.support import convert

MODELS = """
from .extensions import db

class OrderLine(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False)
    note = db.Column(db.String(80))
    order = db.relationship("Order", back_populates="lines")

class Order(db.Model):
    __tablename__ = "orders"
    id = db.Column(db.Integer, primary_key=True)
    lines = db.relationship("OrderLine", back_populates="order")
    items = db.relationship("OrderLine", lazy="dynamic")
"""


def test_columns_become_mapped_columns_on_the_same_names() -> None:
    code, _, _ = convert(MODELS, [ModelsRule])
    assert "id: Mapped[int] = mapped_column(Integer, primary_key=True)" in code
    assert (
        'order_id: Mapped[int] = mapped_column(Integer, ForeignKey("orders.id"), nullable=False)'
        in code
    )
    assert "note: Mapped[str | None] = mapped_column(String(80))" in code
    assert "from .extensions import Base" in code
    assert "class OrderLine(Base):" in code


def test_flask_sqlalchemys_default_table_name_is_written_out() -> None:
    code, _, _ = convert(MODELS, [ModelsRule])
    assert '__tablename__ = "order_line"' in code
    assert code.count('__tablename__ = "orders"') == 1


def test_relationship_types_follow_the_foreign_key_direction() -> None:
    code, _, _ = convert(MODELS, [ModelsRule])
    assert 'order: Mapped["Order"] = relationship("Order", back_populates="lines")' in code
    assert 'lines: Mapped[list["OrderLine"]] = relationship(' in code
    assert 'items: DynamicMapped["OrderLine"] = relationship("OrderLine", lazy="dynamic")' in code


def test_each_model_gets_a_pydantic_response_schema() -> None:
    code, findings, _ = convert(MODELS, [ModelsRule])
    assert "class OrderLineSchema(BaseModel):" in code
    assert "model_config = ConfigDict(from_attributes=True)" in code
    assert "note: str | None" in code
    assert [f.kind for f in findings] == ["model", "schema", "model", "schema"]


def test_db_object_becomes_the_declarative_base() -> None:
    code, _, _ = convert(
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n", [ModelsRule]
    )
    assert "class Base(DeclarativeBase):" in code
    assert "from sqlalchemy.orm import DeclarativeBase" in code


def test_db_object_stays_when_no_class_of_the_package_derives_from_db_model(
    tmp_path: Path,
) -> None:
    # lemur: `BaseModel = db.Model` and models on `BaseModel`, kept as they are; a `Base` nothing
    # uses would tie the module to SQLAlchemy 2.0 (the app pins 1.3).
    extensions = tmp_path / "extensions.py"
    extensions.write_text("from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n")
    models = tmp_path / "models.py"
    models.write_text("from .extensions import db\n\nBaseModel = db.Model\n")
    analysis = FlaskAnalysis(root=tmp_path, files=[extensions, models])
    code, _, _ = convert(extensions.read_text(), [ModelsRule], analysis=analysis)
    assert "db = SQLAlchemy()" in code
    assert "DeclarativeBase" not in code


def test_db_object_becomes_the_base_when_a_class_of_the_package_derives_from_db_model(
    tmp_path: Path,
) -> None:
    extensions = tmp_path / "extensions.py"
    extensions.write_text("from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n")
    models = tmp_path / "models.py"
    models.write_text("from .extensions import db\n\nclass Tag(db.Model):\n    pass\n")
    analysis = FlaskAnalysis(root=tmp_path, files=[extensions, models])
    code, _, _ = convert(extensions.read_text(), [ModelsRule], analysis=analysis)
    assert "class Base(DeclarativeBase):" in code


@pytest.mark.parametrize("column_type", sorted(COLUMN_TYPES))
def test_every_column_type_row(column_type: str) -> None:
    code, _, _ = convert(
        f"class M(db.Model):\n    c = db.Column(db.{column_type}, nullable=False)\n", [ModelsRule]
    )
    sqlalchemy_name, python_type, _ = COLUMN_TYPES[column_type]
    assert f"c: Mapped[{python_type}] = mapped_column({sqlalchemy_name}, nullable=False)" in code


@pytest.mark.parametrize(
    ("name", "table"),
    [("User", "user"), ("OrderLine", "order_line"), ("HTTPLog", "http_log"), ("A1B", "a1_b")],
)
def test_default_table_names_match_flask_sqlalchemy(name: str, table: str) -> None:
    from flask_sqlalchemy.model import camel_to_snake_case

    assert default_table_name(name) == table == camel_to_snake_case(name)


def test_sqlalchemy_s_enum_does_not_hide_the_module_s_own_enum() -> None:
    code, _, _ = convert(
        "from enum import Enum\nfrom .extensions import db\n\n\n"
        "class Status(Enum):\n    OPEN = 'open'\n\n\n"
        "class Ticket(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
        "    status = db.Column(db.Enum(Status), nullable=False)\n",
        [ModelsRule],
    )
    assert "from enum import Enum\n" in code
    assert "Enum as sqlalchemy_Enum" in code
    assert "mapped_column(sqlalchemy_Enum(Status), nullable=False)" in code
    assert "class Status(Enum):" in code
