"""The Django models rule: models.Model -> SQLAlchemy 2.0 declarative models + Pydantic schemas."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from codemods.django.app_facts import AppFacts, read_apps
from codemods.django.rules.models import DjangoModelsRule
from codemods.django.tables.models import FIELDS, OPTIONS, m2m_table_name, table_name
from codemods.engine.findings import Status
from tests.codemods.django.support import BLOG, convert, load
from tests.codemods.support import REPO_ROOT

HEADER = "from django.db import models\n\n"


def model(body: str, name: str = "Book") -> str:
    lines = "\n".join(f"    {line}" for line in body.strip().splitlines())
    return f"{HEADER}class {name}(models.Model):\n{lines}\n"


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_every_field_type_row(kind: str) -> None:
    options = "max_digits=8, decimal_places=2" if kind == "DecimalField" else ""
    if "Auto" in kind:
        options = "primary_key=True"
    elif kind in ("CharField",):
        options = "max_length=30"
    code, _ = convert(model(f"f = models.{kind}({options})"), [DjangoModelsRule])
    entry = FIELDS[kind]
    sa_type = entry.sqlalchemy.format(length=entry.default_length or 30, digits="8, 2")
    assert f"f: Mapped[{entry.python_type}] = mapped_column({sa_type}" in code
    generated = load(code, f"generated_field_{kind}")
    assert generated.Book.__table__.c.f is not None


def test_the_table_is_the_app_label_and_the_lower_cased_model_name() -> None:
    code, _ = convert(
        model("title = models.CharField(max_length=20)", "BookCopy"), [DjangoModelsRule]
    )
    assert '__tablename__ = "blog_bookcopy"' in code
    assert table_name("shop", "OrderLine") == "shop_orderline"


def test_the_app_label_comes_from_the_analysis_when_apps_py_renames_it() -> None:
    analysis = SimpleNamespace(app_labels={"blog": "weblog"})
    code, _ = convert(model("n = models.IntegerField()"), [DjangoModelsRule], analysis=analysis)
    assert '__tablename__ = "weblog_book"' in code


def test_meta_app_label_names_the_table_as_django_does() -> None:
    code, findings = convert(
        model('n = models.IntegerField()\nclass Meta:\n    app_label = "shop"'), [DjangoModelsRule]
    )
    assert '__tablename__ = "shop_book"' in code
    assert not any("app_label" in reason for f in findings for reason in f.reasons)


def test_a_models_module_in_a_package_of_an_app_has_that_apps_label() -> None:
    # explorer/ee/db_connections/models.py, explorer/apps.py: the table is explorer_<model>
    analysis = SimpleNamespace(app_labels={"explorer": "explorer"}, app_packages={("explorer",)})
    code, _ = convert(
        model("n = models.IntegerField()"),
        [DjangoModelsRule],
        analysis=analysis,
        module_path=("explorer", "ee", "db_connections", "models.py"),
    )
    assert '__tablename__ = "explorer_book"' in code


def test_a_models_module_of_an_app_folder_of_its_own_keeps_its_label() -> None:
    analysis = SimpleNamespace(app_packages={("shop",), ("shop", "orders")})
    code, _ = convert(
        model("n = models.IntegerField()"),
        [DjangoModelsRule],
        analysis=analysis,
        module_path=("shop", "orders", "models.py"),
    )
    assert '__tablename__ = "orders_book"' in code


def test_read_apps_lists_the_folders_holding_an_apps_py(tmp_path: Path) -> None:
    for folder in ("shop", "shop/orders"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "apps.py").write_text("x = 1\n")
    assert read_apps(tmp_path).app_packages == {("shop",), ("shop", "orders")}


def test_meta_db_table_is_kept() -> None:
    code, _ = convert(
        model('n = models.IntegerField()\nclass Meta:\n    db_table = "legacy_books"'),
        [DjangoModelsRule],
    )
    assert '__tablename__ = "legacy_books"' in code


def test_an_implicit_id_is_the_default_auto_field() -> None:
    code, _ = convert(model("n = models.IntegerField()"), [DjangoModelsRule])
    assert "id: Mapped[int] = mapped_column(BigInteger, primary_key=True)" in code
    code, _ = convert(
        model("n = models.IntegerField()"),
        [DjangoModelsRule],
        analysis=SimpleNamespace(default_auto_field="django.db.models.AutoField"),
    )
    assert "id: Mapped[int] = mapped_column(Integer, primary_key=True)" in code


def test_column_options_become_column_arguments() -> None:
    code, _ = convert(
        model(
            "code = models.CharField(max_length=8, null=True, unique=True, db_index=True, "
            'db_column="book_code", default="x")'
        ),
        [DjangoModelsRule],
    )
    assert (
        'code: Mapped[str | None] = mapped_column("book_code", String(8), nullable=True, '
        'unique=True, index=True, default="x")'
    ) in code
    assert "code: str | None" in code


def test_blank_changes_no_column() -> None:
    code, _ = convert(model("note = models.TextField(blank=True)"), [DjangoModelsRule])
    assert 'note: Mapped[str] = mapped_column(Text, default="")' in code


@pytest.mark.parametrize("kind", ["CharField", "TextField", "SlugField", "EmailField"])
def test_a_string_field_without_default_saves_an_empty_string_as_django_does(kind: str) -> None:
    code, _ = convert(
        model(f"n = models.IntegerField()\nnote = models.{kind}(max_length=20, blank=True)"),
        [DjangoModelsRule],
    )
    generated = load(code, f"generated_empty_string_{kind}")
    engine = create_engine("sqlite://")
    generated.Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(generated.Book(id=1, n=1))
        session.commit()
        assert session.query(generated.Book).one().note == ""


def test_a_nullable_string_field_saves_null() -> None:
    code, _ = convert(model("note = models.TextField(null=True)"), [DjangoModelsRule])
    assert "note: Mapped[str | None] = mapped_column(Text, nullable=True)" in code


def stored_json(value: object, explicit: bool = True) -> tuple[object, object]:
    """(`data IS NULL`, `data`) as the generated model of a `JSONField(null=True)` writes
    `value` (`explicit`: given to the row, else left unset)."""
    code, _ = convert(model("n = models.IntegerField()\ndata = models.JSONField(null=True)"),
                      [DjangoModelsRule])  # fmt: skip
    generated = load(code, "generated_json_field")
    engine = create_engine("sqlite://")
    generated.Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(generated.Book(id=1, n=1, **({"data": value} if explicit else {})))
        session.commit()
        row = session.execute(text("SELECT data IS NULL, data FROM blog_book")).one()
        return row[0], row[1]


def test_a_json_field_saves_none_as_sql_null_as_django_does() -> None:
    # Django's JSONField stores None as SQL NULL (JSON null only through Value(None, JSONField()))
    assert stored_json(None) == (1, None)
    assert stored_json(None, explicit=False) == (1, None)


def test_a_json_field_saves_a_value_as_json_text() -> None:
    assert stored_json({"a": [1, None]}) == (0, '{"a": [1, null]}')


@pytest.mark.parametrize("kind", ["IntegerField", "BooleanField", "DateField", "UUIDField"])
def test_a_field_django_does_not_default_to_an_empty_string_gets_no_default(kind: str) -> None:
    code, _ = convert(model(f"f = models.{kind}()"), [DjangoModelsRule])
    line = next(line for line in code.splitlines() if line.strip().startswith("f: Mapped"))
    assert "default=" not in line


def test_decimal_digits_become_numeric_precision_and_scale() -> None:
    code, _ = convert(
        model("price = models.DecimalField(max_digits=10, decimal_places=2)"), [DjangoModelsRule]
    )
    assert "price: Mapped[Decimal] = mapped_column(Numeric(10, 2))" in code


def test_auto_now_and_auto_now_add_set_the_time_on_insert_and_update() -> None:
    code, _ = convert(
        model(
            "created = models.DateTimeField(auto_now_add=True)\n"
            "updated = models.DateTimeField(auto_now=True)"
        ),
        [DjangoModelsRule],
    )
    assert "created: Mapped[datetime] = mapped_column(AwareDateTime, default=_now)" in code
    assert "default=_now, onupdate=_now)" in code
    assert "def _now() -> datetime:" in code


def test_positive_integers_get_django_s_check_constraint() -> None:
    code, _ = convert(model("stock = models.PositiveIntegerField()"), [DjangoModelsRule])
    assert "__table_args__ = (CheckConstraint('\"stock\" >= 0'),)" in code


def test_literal_choices_become_a_literal_in_the_schema() -> None:
    code, _ = convert(
        model('size = models.CharField(max_length=1, choices=[("s", "Small"), ("l", "Large")])'),
        [DjangoModelsRule],
    )
    assert 'size: Literal["s", "l"]' in code


def test_text_choices_become_a_str_enum_and_a_literal() -> None:
    code, _ = convert(
        model(
            'class Size(models.TextChoices):\n    S = "s", "Small"\n    L = "l", "Large"\n'
            "size = models.CharField(max_length=1, choices=Size.choices, default=Size.S)"
        ),
        [DjangoModelsRule],
    )
    assert "class Size(StrEnum):" in code and 'S = "s"' in code
    assert "default=Size.S" in code
    assert 'size: Literal["s", "l"]' in code


def test_a_foreign_key_is_an_id_column_a_foreign_key_and_a_relationship() -> None:
    code, findings = convert(
        f"{HEADER}class Shelf(models.Model):\n    n = models.IntegerField()\n\n"
        "class Book(models.Model):\n"
        '    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="books")\n'
        '    prev = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)\n',
        [DjangoModelsRule],
    )
    assert (
        'shelf_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("blog_shelf.id"), index=True)'
        in code
    )
    assert (
        'backref=backref("books", cascade="all, delete-orphan", collection_class=RelatedList)'
        in code
    )
    assert "prev_id: Mapped[int | None]" in code
    assert "shelf_id: int" in code
    book = next(f for f in findings if f.kind == "model" and f.symbol == "Book")
    assert book.status == Status.partial and any("SET_NULL" in r for r in book.reasons)
    load(code, "generated_fk_models")


def test_a_foreign_key_to_its_own_model_points_at_the_parent_row() -> None:
    code, _ = convert(
        f"{HEADER}class Category(models.Model):\n"
        '    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)\n',
        [DjangoModelsRule],
    )
    # without remote_side SQLAlchemy reads a self-referential key as one-to-many (the children)
    assert "remote_side=lambda: [Category.id]" in code
    generated = load(code, "generated_self_fk_models")
    assert generated.Category.parent.property.direction.name == "MANYTOONE"


def test_one_to_one_is_a_unique_key() -> None:
    code, _ = convert(
        f"{HEADER}class A(models.Model):\n    n = models.IntegerField()\n\n"
        "class B(models.Model):\n    a = models.OneToOneField(A, on_delete=models.CASCADE)\n",
        [DjangoModelsRule],
    )
    assert (
        'a_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("blog_a.id"), unique=True)'
        in code
    )


def test_many_to_many_is_django_s_association_table() -> None:
    code, _ = convert(
        f"{HEADER}class Tag(models.Model):\n    n = models.IntegerField()\n\n"
        "class Book(models.Model):\n    tags = models.ManyToManyField(Tag)\n"
        '    similar = models.ManyToManyField("self")\n',
        [DjangoModelsRule],
    )
    assert m2m_table_name("blog_book", "tags") == "blog_book_tags"
    assert 'Column("book_id", BigInteger, ForeignKey("blog_book.id")' in code
    assert 'Column("tag_id", BigInteger, ForeignKey("blog_tag.id")' in code
    assert 'Column("from_book_id"' in code and 'Column("to_book_id"' in code
    assert (
        'tags: Mapped[list["Tag"]] = relationship("Tag", secondary="blog_book_tags", '
        'collection_class=RelatedList, backref=backref("book_set", collection_class=RelatedList))'
        in code
    )
    load(code, "generated_m2m_models")


def test_a_many_to_many_reads_as_a_related_manager_in_the_related_model_s_ordering() -> None:
    code, findings = convert(
        f"{HEADER}class Tag(models.Model):\n    name = models.CharField(max_length=9)\n"
        '    class Meta:\n        ordering = ["name", "-pk"]\n\n'
        "class Book(models.Model):\n"
        '    tags = models.ManyToManyField(Tag, related_name="books")\n'
        '    class Meta:\n        ordering = ["-id"]\n',
        [DjangoModelsRule],
    )
    assert (
        'relationship("Tag", secondary="blog_book_tags", collection_class=RelatedList, '
        'order_by="[Tag.name, Tag.id.desc()]", backref=backref("books", '
        'collection_class=RelatedList, order_by="[Book.id.desc()]"))'
    ) in " ".join(code.split()).replace("( ", "(").replace(" )", ")").replace(",)", ")")
    assert "from codemods.runtime.django.related import RelatedList" in code
    assert all(f.status == Status.converted for f in findings if f.kind == "model")
    load(code, "generated_m2m_ordered_models")


def test_a_related_name_of_a_foreign_key_reads_in_its_model_s_ordering() -> None:
    code, _ = convert(
        f"{HEADER}class Shelf(models.Model):\n    n = models.IntegerField()\n\n"
        "class Book(models.Model):\n"
        '    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="books")\n'
        "    title = models.CharField(max_length=9)\n"
        '    class Meta:\n        ordering = ["title"]\n',
        [DjangoModelsRule],
    )
    assert 'collection_class=RelatedList, order_by="[Book.title]"' in " ".join(code.split())


def test_an_ordering_by_a_relation_leaves_the_relationship_unordered_with_the_reason() -> None:
    code, findings = convert(
        f"{HEADER}class Tag(models.Model):\n    n = models.IntegerField()\n\n"
        "class Book(models.Model):\n    tags = models.ManyToManyField(Tag)\n"
        '    class Meta:\n        ordering = ["shelf__name"]\n',
        [DjangoModelsRule],
    )
    assert "order_by=" not in code
    book = next(f for f in findings if f.kind == "model" and f.symbol == "Book")
    assert book.status == Status.partial
    assert any("tags: its rows are not ordered as Django's" in r for r in book.reasons)


def test_a_symmetrical_many_to_many_to_itself_has_no_reverse_accessor() -> None:
    code, _ = convert(model('similar = models.ManyToManyField("self")'), [DjangoModelsRule])
    assert "backref" not in code


def test_an_explicit_through_model_of_the_module_is_the_secondary_table_read_only() -> None:
    code, findings = convert(
        f"{HEADER}class Tag(models.Model):\n    n = models.IntegerField()\n\n"
        "class Book(models.Model):\n"
        '    tags = models.ManyToManyField(Tag, through="Tagging")\n\n'
        "class Tagging(models.Model):\n"
        "    book = models.ForeignKey(Book, on_delete=models.CASCADE)\n"
        "    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)\n"
        "    weight = models.IntegerField()\n",
        [DjangoModelsRule],
    )
    flat = " ".join(code.split())
    assert 'secondary="blog_tagging"' in flat and "viewonly=True" in flat
    assert "blog_book_tags" not in code  # Django creates no table of its own for it
    book = next(f for f in findings if f.kind == "model" and f.symbol == "Book")
    assert any("write them as Tagging rows" in r for r in book.reasons)
    load(code, "generated_m2m_through_models")


def test_a_foreign_key_to_the_user_model_gets_the_auth_user_model_and_a_relationship() -> None:
    code, findings = convert(
        "from django.conf import settings\n"
        + model(
            "owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, "
            'related_name="posts")'
        ),
        [DjangoModelsRule],
    )
    assert 'owner_id: Mapped[int] = mapped_column(Integer, ForeignKey("auth_user.id")' in code
    assert "class User(DjangoEquality, Base):" in code
    assert '__tablename__ = "auth_user"' in code
    assert "username: Mapped[str] = mapped_column(String(150), unique=True)" in code
    assert "date_joined: Mapped[datetime] = mapped_column(AwareDateTime, default=_now)" in code
    assert 'owner: Mapped["User"] = relationship("User", foreign_keys=[owner_id]' in code
    assert (
        'backref=backref("posts", cascade="all, delete-orphan", collection_class=RelatedList)'
        in code
    )
    assert findings[0].status == Status.converted


def test_a_field_class_subscripted_for_type_checkers_is_that_field() -> None:
    code, _ = convert(
        "from django.conf import settings\n"
        + model(
            "owner = models.ForeignKey['AbstractUser'](settings.AUTH_USER_MODEL, "
            "on_delete=models.CASCADE, null=True)"
        ),
        [DjangoModelsRule],
    )
    assert 'owner_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("auth_user.id")' in (
        code
    )
    assert 'owner: Mapped["User | None"] = relationship("User", foreign_keys=[owner_id]' in code
    assert "models.ForeignKey" not in code


def test_the_user_model_takes_another_name_when_the_module_has_a_user_class() -> None:
    code, _ = convert(
        "from django.conf import settings\n"
        + model("owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)")
        + "\n\nclass User:\n    pass\n",
        [DjangoModelsRule],
    )
    assert "class AuthUser(DjangoEquality, Base):" in code
    assert 'relationship("AuthUser", foreign_keys=[owner_id])' in code


def test_ordering_and_indexes_of_meta_are_kept() -> None:
    code, _ = convert(
        model(
            "n = models.IntegerField()\nclass Meta:\n    ordering = ['-n']\n"
            "    indexes = [models.Index(fields=['n'], name='n_idx')]\n"
            "    unique_together = [('id', 'n')]"
        ),
        [DjangoModelsRule],
    )
    assert "__ordering__ = ['-n']" in code
    assert 'Index("n_idx", "n")' in code
    assert "UniqueConstraint('id', 'n')" in code


def test_meta_names_a_foreign_key_and_a_db_column_by_their_columns() -> None:
    before = model(
        "class Meta:\n    unique_together = ('owner', 'n', 'code')\n"
        "    indexes = [models.Index(fields=['owner', '-n'])]\n"
        "owner = models.ForeignKey('Shelf', on_delete=models.CASCADE)\n"
        "n = models.IntegerField()\n"
        "code = models.IntegerField(db_column='book_code')"
    )
    code, _ = convert("class Shelf(models.Model):\n    pass\n\n\n" + before, [DjangoModelsRule])
    assert 'UniqueConstraint("owner_id", \'n\', "book_code")' in code
    assert 'Index("blog_book_owner_n_idx", "owner_id", text("n DESC"))' in code
    generated = load(code, "generated_meta_key_columns")
    assert {"owner_id", "n", "book_code"} <= set(generated.Book.__table__.c.keys())


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("objects = BookManager()", "manager objects"),
        ("n = models.IntegerField()\nclass Meta:\n    abstract = True", "Meta.abstract"),
        ("n = models.IntegerField()\nclass Meta:\n    permissions = []", "Meta.permissions"),
        ("shape = models.GeometryField()", "not in the table"),
        ("n = models.IntegerField(validators=[check])", "validators="),
        ("n = models.IntegerField(choices=CHOICES)", "not literal"),
    ],
)
def test_what_cannot_be_expressed_is_partial_with_its_reason(body: str, reason: str) -> None:
    code, findings = convert(model(body), [DjangoModelsRule])
    assert findings[0].status == Status.partial
    assert any(reason in r for r in findings[0].reasons), findings[0].reasons
    assert "TODO(strangler)" in code


def test_methods_are_kept_on_the_model() -> None:
    code, _ = convert(
        model("n = models.IntegerField()\ndef __str__(self):\n    return str(self.n)"),
        [DjangoModelsRule],
    )
    assert "    def __str__(self):\n        return str(self.n)" in code


def test_every_option_row_is_known() -> None:
    assert {"null", "blank", "default", "unique", "db_index", "db_column", "choices"} <= set(
        OPTIONS
    )


def test_a_second_run_changes_nothing() -> None:
    code, _ = convert(model("n = models.IntegerField()"), [DjangoModelsRule])
    again, findings = convert(code, [DjangoModelsRule])
    assert again == code and findings == []


def test_read_apps_finds_the_label_the_auto_field_and_the_models_of_django_blog() -> None:
    facts = read_apps(BLOG)
    assert facts.app_labels == {"blog": "blog"}
    assert facts.auto_fields == {"blog": "BigAutoField"}
    assert any("class Post(models.Model)" in text for text in facts.models_sources)


def test_read_apps_skips_files_that_do_not_parse(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "apps.py").write_text("class Broken(:\n")
    (tmp_path / "shop" / "models.py").write_text("x = 1\n")
    facts = read_apps(tmp_path)
    assert facts.app_labels == {} and facts.models_sources == ["x = 1\n"]


def test_the_app_s_own_auto_field_types_the_implicit_id() -> None:
    facts = AppFacts(auto_fields={"blog": "AutoField"})
    code, _ = convert(model("n = models.IntegerField()"), [DjangoModelsRule], analysis=facts)
    assert "id: Mapped[int] = mapped_column(Integer, primary_key=True)" in code


def test_a_model_base_imported_by_name_is_converted() -> None:
    code, _ = convert(
        "from django.db.models import IntegerField, Model\n\n"
        "class Book(Model):\n    n = IntegerField()\n",
        [DjangoModelsRule],
    )
    assert "class Book(Base):" in code and "n: Mapped[int] = mapped_column(Integer)" in code


def test_the_user_model_follows_the_base_even_after_other_classes() -> None:
    code, _ = convert(
        "from django.conf import settings\n\n\nclass Helper:\n    pass\n\n\n"
        + model("owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)"),
        [DjangoModelsRule],
    )
    assert (
        code.index("class Base(")
        < code.index("class User(DjangoEquality, Base)")
        < code.index("class Book(Base)")
    )


def test_unique_together_names_a_foreign_key_by_its_column() -> None:
    code, _ = convert(
        model(
            'shelf = models.ForeignKey("Shelf", on_delete=models.CASCADE)\n'
            "slug = models.SlugField()\n"
            "class Meta:\n"
            '    unique_together = ["shelf", "slug"]'
        ),
        [DjangoModelsRule],
    )
    assert 'UniqueConstraint("shelf_id", "slug")' in code


def test_class_attributes_the_fields_name_come_before_the_columns() -> None:
    before = model(
        "subject = models.CharField(max_length=LIMIT, default=Kind.NONE)\n"
        "LIMIT = 120\n"
        "class Kind:\n    NONE = ''\n"
        "def short(self):\n    return self.subject[: self.LIMIT]\n"
        "brief = property(short)"
    )
    code, _ = convert(before, [DjangoModelsRule])
    assert code.index("LIMIT = 120") < code.index("subject: Mapped")
    assert code.index("class Kind:") < code.index("subject: Mapped")
    assert code.index("subject: Mapped") < code.index("def short(self)")
    assert code.index("def short(self)") < code.index("brief = property(short)")
    generated = load(code, "generated_class_attributes_first")
    assert generated.Book.__table__.c.subject.type.length == 120


def test_class_attributes_come_before_every_column_with_related_rows_after_them() -> None:
    before = model(
        "LIMIT = 20\n"
        "name = models.CharField(max_length=LIMIT)\n"
        'topic = models.ForeignKey("spirit_topic.Topic", on_delete=models.CASCADE)'
    )
    code, _ = convert(
        before,
        [DjangoModelsRule],
        module_path=("topic", "notification", "models.py"),
        analysis=SimpleNamespace(label_models={"spirit_topic": ("topic", "models.py")}),
    )
    assert code.index("LIMIT = 20") < code.index("id: Mapped")
    assert code.index("topic_id: Mapped") < code.index("def pk(self)") < code.index("def topic(")


def test_an_annotation_with_no_value_is_left_out_with_its_reason() -> None:
    code, findings = convert(model("n = models.IntegerField()\ncount: int"), [DjangoModelsRule])
    assert "count: int" not in code.split("class Book(Base):")[1].split("class Book")[0]
    assert any("count: int: an annotation with no value" in r for r in findings[0].reasons)
    generated = load(code, "generated_annotation_only")
    assert "count" not in generated.Book.__table__.c


def test_a_module_importing_datetime_whole_keeps_it_and_gets_qualified_types() -> None:
    before = "import datetime\n\n" + model(
        "when = models.DateTimeField(auto_now_add=True)\n"
        "day = models.DateField(default=datetime.date.today)"
    )
    code, _ = convert(before, [DjangoModelsRule])
    assert "from datetime import" not in code
    assert "when: Mapped[datetime.datetime] = mapped_column(" in code
    assert "day: Mapped[datetime.date] = mapped_column(" in code
    generated = load(code, "generated_whole_datetime")
    assert generated.datetime.date.today is not None


def test_a_manager_with_a_type_hint_is_left_out_like_one_without() -> None:
    before = (
        "from typing import TYPE_CHECKING, ClassVar\n"
        "from django.db import models\n\n"
        "if TYPE_CHECKING:\n"
        "    _Manager = models.Manager['Book']\n"
        "else:\n"
        "    _Manager = models.Manager\n\n\n"
        "class BookManager(_Manager):\n"
        "    def recent(self):\n"
        "        return self.all()\n\n\n"
        "class Book(models.Model):\n"
        "    n = models.IntegerField()\n"
        "    objects: 'ClassVar[BookManager]' = BookManager()\n"
    )
    code, findings = convert(before, [DjangoModelsRule])
    assert "objects: 'ClassVar[BookManager]'" not in code
    assert any("manager objects" in r for r in findings[0].reasons), findings[0].reasons
    generated = load(code, "generated_annotated_manager")
    assert set(generated.Book.__table__.c.keys()) == {"id", "n"}


def test_a_field_with_a_type_hint_is_a_column_of_the_generated_type() -> None:
    code, _ = convert(model("n: 'int' = models.IntegerField()"), [DjangoModelsRule])
    assert "n: Mapped[int] = mapped_column(Integer" in code
    generated = load(code, "generated_annotated_field")
    assert "n" in generated.Book.__table__.c


def test_a_proxy_model_is_a_subclass_mapped_on_its_model_s_table() -> None:
    before = (
        "from typing import ClassVar\n"
        "from django.db import models\n\n\n"
        "class Book(models.Model):\n"
        "    n = models.IntegerField()\n\n\n"
        "class PendingBook(Book):\n"
        "    objects: 'ClassVar[PendingManager]' = PendingManager()\n\n"
        "    class Meta:\n"
        "        proxy = True\n"
        "        verbose_name = 'pending book'\n\n"
        "    def is_pending(self):\n"
        "        return self.n == 0\n"
    )
    code, findings = convert(before, [DjangoModelsRule])
    after = code.split("class PendingBook(Book):")[1]
    assert "objects" not in after and "class Meta" not in after
    assert "def is_pending(self):" in after
    proxy = next(f for f in findings if f.target_symbol == "PendingBook")
    assert any("manager objects" in reason for reason in proxy.reasons), proxy.reasons
    generated = load(code, "generated_proxy_model")
    assert generated.PendingBook.__table__ is generated.Book.__table__
    assert generated.PendingBook(n=0).is_pending()


def test_a_unique_constraint_of_meta_keeps_its_columns_and_name() -> None:
    code, findings = convert(
        model(
            "owner = models.ForeignKey('Shelf', on_delete=models.CASCADE)\n"
            "n = models.IntegerField()\n"
            "class Meta:\n"
            "    constraints = [models.UniqueConstraint(fields=['owner', 'n'], name='one_n')]"
        ),
        [DjangoModelsRule],
    )
    assert 'UniqueConstraint("owner_id", "n", name=\'one_n\')' in code
    assert not any("constraints" in r for f in findings for r in f.reasons)


def test_a_check_constraint_of_meta_becomes_its_sql_with_its_name() -> None:
    code, _ = convert(
        model(
            "price = models.IntegerField()\n"
            "low = models.IntegerField(db_column='floor')\n"
            "code = models.CharField(max_length=5)\n"
            "class Meta:\n"
            "    constraints = [\n"
            "        models.CheckConstraint(\n"
            "            check=models.Q(price__gte=0) & ~models.Q(code='') | "
            "models.Q(price__gt=models.F('low')),\n"
            "            name='sane',\n"
            "        )\n"
            "    ]"
        ),
        [DjangoModelsRule],
    )
    expected = (
        'CheckConstraint(\'(("price" >= 0) AND (NOT ("code" = \\\'\\\'))) OR '
        '("price" > "floor")\', name=\'sane\')'
    )
    assert expected in code


def test_a_check_constraint_holds_in_the_database() -> None:
    import sqlalchemy as sa

    code, _ = convert(
        model(
            "n = models.IntegerField()\n"
            "kind = models.CharField(max_length=1)\n"
            "class Meta:\n"
            "    constraints = [models.CheckConstraint(condition=models.Q(n__gte=0, "
            "kind__in=['a', 'b']), name='n_kind')]"
        ),
        [DjangoModelsRule],
    )
    generated = load(code, "generated_check_constraint")
    engine = sa.create_engine("sqlite://")
    generated.Book.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(generated.Book.__table__.insert().values(id=1, n=1, kind="a"))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(generated.Book.__table__.insert().values(id=2, n=-1, kind="a"))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(generated.Book.__table__.insert().values(id=3, n=1, kind="c"))


@pytest.mark.parametrize(
    "constraint",
    [
        "models.UniqueConstraint(fields=['n'], condition=models.Q(n__gt=0), name='x')",
        "models.UniqueConstraint(Lower('code'), name='x')",
        "models.CheckConstraint(check=models.Q(n__year=2020), name='x')",
    ],
)
def test_a_constraint_that_cannot_be_expressed_is_partial_with_its_reason(
    constraint: str,
) -> None:
    body = f"n = models.IntegerField()\nclass Meta:\n    constraints = [{constraint}]"
    code, findings = convert(model(body), [DjangoModelsRule])
    assert findings[0].status == Status.partial
    assert "TODO(strangler)" in code
    assert any("Meta.constraints" in r for r in findings[0].reasons), findings[0].reasons


def test_a_foreign_key_to_another_models_module_is_its_key_column_alone() -> None:
    """The other module's model is on another declarative base: a ForeignKey() to its table
    would fail the first flush (NoReferencedTableError); the database keeps Django's
    constraint."""
    code, _ = convert(
        model('comment = models.ForeignKey("spirit_comment.Comment", on_delete=models.CASCADE)'),
        [DjangoModelsRule],
    )

    assert "comment_id: Mapped[int] = mapped_column(BigInteger, index=True)" in code
    assert "import ForeignKey" not in code and ", ForeignKey" not in code
    generated = load(code, "generated_fk_elsewhere_models")
    assert not generated.Book.__table__.c.comment_id.foreign_keys


CUSTOM_FIELD = """
from django.db.models import SlugField


class AutoSlugField(SlugField):
    def pre_save(self, instance, add):
        return super().pre_save(instance, add)


class TitleSlugField(AutoSlugField):
    pass
"""


def test_a_field_class_of_src_gets_the_column_of_the_django_field_it_subclasses() -> None:
    facts = AppFacts(models_sources=[CUSTOM_FIELD])
    before = model('slug = TitleSlugField(populate_from="title", blank=True)')

    code, _ = convert(before, [DjangoModelsRule], analysis=facts)

    assert 'slug: Mapped[str] = mapped_column(String(50), default="")' in code
    assert "TitleSlugField (a SlugField of SRC) gets the SlugField column" in code


def test_the_developer_guide_shows_the_blog_s_generated_many_to_many() -> None:
    page = (REPO_ROOT / "docs" / "developer.md").read_text(encoding="utf-8")
    section = page[page.index("To-many relations read as Django's related managers.") :]
    example = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    generated = REPO_ROOT / "migrated" / "django_blog" / "blog" / "models.py"
    assert example.strip() in generated.read_text(encoding="utf-8").replace("\n    ", "\n")


def test_a_key_to_another_modules_model_is_a_plain_column_rows_can_be_written() -> None:
    code, findings = convert(
        model(
            'topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE)\n'
            'readers = models.ManyToManyField("forum.Reader")'
        ),
        [DjangoModelsRule],
    )
    assert "topic_id: Mapped[int] = mapped_column(BigInteger, index=True)" in code
    assert 'Column("reader_id", BigInteger, nullable=False, index=True)' in code
    generated = load(code, "generated_outside_key_models")
    engine = create_engine("sqlite://")
    generated.Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(generated.Book(id=1, topic_id=7))
        session.commit()
        session.delete(session.get(generated.Book, 1))
        session.commit()
    book = next(f for f in findings if f.kind == "model" and f.symbol == "Book")
    assert any("only its topic_id column" in reason for reason in book.reasons)


def test_a_foreign_key_to_another_apps_models_module_loads_its_row_by_key() -> None:
    """`notification.topic`: the other module's generated model, loaded on the row's session
    (`related_row`), as Django's foreign key descriptor loads it."""
    code, _ = convert(
        model('topic = models.ForeignKey("spirit_topic.Topic", on_delete=models.CASCADE)'),
        [DjangoModelsRule],
        module_path=("topic", "notification", "models.py"),
        analysis=SimpleNamespace(label_models={"spirit_topic": ("topic", "models.py")}),
    )

    assert (
        "    @property\n"
        "    def topic(self):\n"
        '        """The related Topic (of another models module), loaded by topic_id."""\n'
        "        from ..models import Topic\n\n"
        "        return related_row(self, Topic, self.topic_id)\n"
    ) in code
    assert "from codemods.runtime.django.queries import related_row" in code


def test_a_field_with_choices_gets_its_get_display_method_as_django_gives_it() -> None:
    code, _ = convert(
        model(
            'PAPER, EBOOK = "p", "e"\n'
            'FORMATS = ((PAPER, "Paper"), (EBOOK, "E-book"))\n'
            "format = models.CharField(max_length=1, choices=FORMATS)\n"
            'size = models.CharField(max_length=1, choices=[("s", "Small")])'
        ),
        [DjangoModelsRule],
    )
    assert (
        "    def get_format_display(self):\n"
        '        """The label of format\'s choice, as Django\'s `get_format_display()`."""\n'
        "        return dict(self.FORMATS).get(self.format, self.format)\n"
    ) in code
    assert 'return dict([("s", "Small")]).get(self.size, self.size)' in code
    book = load(code, "display_models").Book(format="e", size="m")
    assert (book.get_format_display(), book.get_size_display()) == ("E-book", "m")
