"""Django models -> SQLAlchemy 2.0 declarative models on the tables and columns Django created
(`<app>_<model>` or `Meta.db_table`, `<name>_id` keys, `<app>_<model>_<field>` association
tables), each followed by a Pydantic response schema (`from_attributes=True`). What cannot be
expressed is reported `partial` with its reason and left in the output as a TODO, never dropped."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from codemods.django.auth_group import (
    AUTH_GROUP_IMPORTS,
    GROUP_CLASS,
    GROUP_TABLE,
    auth_group_class,
    is_auth_group,
    module_imports_group,
)
from codemods.django.check_constraints import condition_sql
from codemods.django.custom_fields import read_custom_fields
from codemods.django.encrypted_fields import RUNTIME as ENCRYPTED_RUNTIME
from codemods.django.encrypted_fields import TYPE as ENCRYPTED_TYPE
from codemods.django.encrypted_fields import encrypted_field, value_type
from codemods.django.helper_twins import relative_import
from codemods.django.model_methods import read_method_twins, twin_method
from codemods.django.own_save import INSTANCES as OWN_SAVE_MODULE
from codemods.django.own_save import (
    ROW_SAVE,
    model_fields,
    own_save,
    plain_save,
    runs_on_rows,
)
from codemods.django.relation_order import NotOrdered, order_by
from codemods.django.shared_base import SHARED_MODULE, is_shared, module_alias, shared_base_code
from codemods.django.sites_site import (
    SITE_CLASS,
    SITE_TABLE,
    SITES_SITE_IMPORTS,
    calls_current_site,
    is_sites_site,
    module_imports_site,
    sites_site_class,
)
from codemods.django.stored_save import STORED_COUNT, STORED_ROW, rewritten
from codemods.django.tables.models import (
    AUTH_USER_IMPORTS,
    AUTH_USER_TABLE,
    CHOICES_CLASSES,
    EMPTY_STRING_DEFAULT,
    FIELDS,
    OPTIONS,
    RELATIONS,
    auth_user_class,
    m2m_table_name,
    table_name,
)
from codemods.engine.comments import todo_line
from codemods.engine.context import add_import, remove_import
from codemods.engine.edit import block_statements
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, name_assignment, string_value
from codemods.engine.rule import ClassLevelRule

_CODE = cst.Module(body=[])
MODEL_BASES = ("models.Model", "django.db.models.Model", "Model")
RELATED_LIST = ("codemods.runtime.django.related", "RelatedList")


def code_of(node: cst.CSTNode) -> str:
    return _CODE.code_for_node(node)


@dataclass
class Column:
    """One generated `Mapped` attribute of a model (and its line in the schema)."""

    name: str
    line: str
    schema: str | None = None


@dataclass
class ModelPlan:
    name: str
    table: str
    pk_type: str = "BigInteger"
    pk_name: str = "id"
    columns: list[Column] = field(default_factory=list)
    enums: list[str] = field(default_factory=list)
    table_args: list[str] = field(default_factory=list)
    ordering: str | None = None
    kept: list[cst.BaseStatement] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    # a field's name -> its column where they differ (`user` -> `user_id`, a `db_column`): what
    # Meta's constraints and indexes name, read before Meta whatever its place in the class
    key_columns: dict[str, str] = field(default_factory=dict)
    # properties loading the rows of foreign keys to another models module's models
    related_rows: list[str] = field(default_factory=list)
    # a field with choices -> the choices as written (a name or a literal list): its
    # `get_<field>_display()`, as Django adds it to the model
    displays: dict[str, cst.BaseExpression] = field(default_factory=dict)

    def column_of(self, field_name: str) -> str:
        return self.key_columns.get(field_name, field_name)


class DjangoModelsRule(ClassLevelRule):
    name = "django_models"
    DESCRIPTION = "Django models -> SQLAlchemy 2.0 declarative models + Pydantic schemas."
    triggers = ("Model",)  # models.Model, or Model imported from django.db.models
    default_auto_field = "BigAutoField"  # Django's startproject default (DEFAULT_AUTO_FIELD)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        models = [s for s in updated_node.body if isinstance(s, cst.ClassDef) and _is_model(s)]
        if not models:
            return updated_node
        for module, name in (
            ("django.db", "models"),
            ("django.db.models", "Model"),
            ("django.conf", "settings"),
        ):
            remove_import(self.context, module, name)
        label = self.app_label()
        self.tables = {m.name.value: self.table_of(m, label) for m in models}
        self.pk_types = {m.name.value: self.pk_type_of(m) for m in models}
        self.orderings = {m.name.value: _ordering(m) for m in models}
        self.association: list[str] = []
        self.needs_now = False
        self.imported_modules = _imported_modules(updated_node)
        self.imported_names = _imported_names(updated_node)
        taken = {s.name.value for s in updated_node.body if isinstance(s, cst.ClassDef)}
        self.user_class = "User" if "User" not in taken else "AuthUser"
        self.needs_user = False
        self.needs_group = False
        self.group_imported = module_imports_group(updated_node)
        self.site_imported = module_imports_site(updated_node)
        sources = getattr(self.state.analysis, "models_sources", None)
        self.shared = isinstance(sources, list) and is_shared(sources)
        root = getattr(self.state.analysis, "root", None)
        self.needs_site = not self.shared and calls_current_site(root)
        body: list[cst.BaseStatement] = []
        inserted_base = False
        base_statement: cst.BaseStatement | None = None
        proxies = _proxies(updated_node, set(self.tables))
        for statement in updated_node.body:
            if isinstance(statement, cst.ClassDef) and statement in models:
                if not inserted_base:
                    preamble = self.preamble()
                    body.extend(preamble)
                    base_statement = preamble[-1] if preamble else None
                    inserted_base = True
                body.extend(self.convert(statement))
            elif isinstance(statement, cst.ClassDef) and statement in proxies:
                body.append(self.convert_proxy(statement))
            else:
                body.append(statement)
        for table in self.association:
            body.append(_statement(table, blank_lines=2))
        if self.needs_user and self.shared:
            self.use_shared("User", None if self.user_class == "User" else self.user_class)
        elif self.needs_user:  # right after Base, before the models that reference it
            self.needs_now = True
            index = next(i for i, s in enumerate(body) if s is base_statement) + 1
            body.insert(index, self.user_model())
        if self.needs_group:  # after Base (and User), before the models that reference it
            index = next(i for i, s in enumerate(body) if s is base_statement) + 1
            body.insert(index, self.group_model())
        if self.needs_site:  # after Base, before the models that reference it
            index = next(i for i, s in enumerate(body) if s is base_statement) + 1
            body.insert(index, self.site_model())
        if self.needs_now:
            stamp = self.python_type("datetime", "datetime")
            zone = self.python_type("datetime", "UTC")
            now = (
                f"def _now() -> {stamp}:\n"
                '    """The current time, aware, as Django stores it under USE_TZ."""\n'
                f"    return {stamp}.now({zone})\n"
            )
            index = next(i for i, s in enumerate(body) if isinstance(s, cst.ClassDef))
            body.insert(index, _statement(now, blank_lines=2))
        return updated_node.with_changes(body=body)

    # -- names -----------------------------------------------------------------------------------
    def python_type(self, module: str, name: str) -> str:
        """`name`, imported from `module`; `module.name` where the legacy module imports the
        module itself (`import datetime` beside a method calling `datetime.timedelta`: a
        `from datetime import datetime` would hide it)."""
        if module in self.imported_modules:
            return f"{module}.{name}"
        self.use(module, name)
        return name

    def label_of(self, module: tuple[str, ...]) -> str:
        """The app label of the models module at `module` (path parts under SRC)."""
        labels = getattr(self.state.analysis, "app_labels", None)
        folder = self.app_folder(module)
        if isinstance(labels, dict) and isinstance(labels.get(folder), str):
            return str(labels[folder])
        return folder

    def app_folder(self, module: tuple[str, ...] | None = None) -> str:
        package = tuple((module or self.state.module_path)[:-1])
        apps = getattr(self.state.analysis, "app_packages", None)
        if isinstance(apps, set) and package not in apps:
            # a models module in a package of an app without an apps.py of its own belongs to
            # the app holding it, as Django's get_containing_app_config finds it
            package = next(
                (package[:n] for n in range(len(package) - 1, -1, -1) if package[:n] in apps),
                package,
            )
        folder = package[-1] if package else None
        if folder is None and self.state.source_package:
            folder = self.state.source_package.rsplit(".", 1)[-1]
        return folder or "app"

    def app_label(self) -> str:
        labels = getattr(self.state.analysis, "app_labels", None)
        folder = self.app_folder()
        if isinstance(labels, dict) and isinstance(labels.get(folder), str):
            return str(labels[folder])
        return folder

    def table_of(self, node: cst.ClassDef, label: str) -> str:
        meta = _meta(node)
        db_table, app_label = meta.get("db_table"), meta.get("app_label")
        explicit = string_value(db_table) if db_table is not None else None
        label = (string_value(app_label) if app_label is not None else None) or label
        return explicit or table_name(label, node.name.value)

    def pk_type_of(self, node: cst.ClassDef) -> str:
        for _, call in _fields(node):
            if _keyword_is(call, "primary_key", "True"):
                kind = FIELDS.get(_field_kind(call) or "")
                return kind.sqlalchemy.split("(")[0] if kind else "Integer"
        return self.auto_pk_type()

    def auto_pk_type(self) -> str:
        analysis = self.state.analysis
        per_app = getattr(analysis, "auto_fields", None)
        auto = per_app.get(self.app_folder()) if isinstance(per_app, dict) else None
        auto = auto or getattr(analysis, "default_auto_field", None) or self.default_auto_field
        entry = FIELDS.get(str(auto).rsplit(".", 1)[-1])
        return entry.sqlalchemy if entry is not None else "BigInteger"

    def use_shared(self, name: str, asname: str | None = None) -> None:
        """Import `name` from the shared base module (written at the output's root)."""
        self.state.extra_files[SHARED_MODULE] = shared_base_code()
        module, level = relative_import(self.state.module_path, (SHARED_MODULE,))
        add_import(self.context, module, name, asname=asname, relative=level)

    def preamble(self) -> list[cst.BaseStatement]:
        if self.shared:
            self.use_shared("Base")
            return []
        self.use("sqlalchemy.orm", "DeclarativeBase")
        base = (
            "class Base(DeclarativeBase):\n"
            '    """The declarative base of the models migrated from Django."""\n'
        )
        return [_statement(base, blank_lines=2)]

    # -- one model -------------------------------------------------------------------------------
    def convert(self, node: cst.ClassDef) -> list[cst.BaseStatement]:
        model = node.name.value
        finding = self.findings.add("model", model)
        finding.target_symbol = model
        plan = ModelPlan(model, self.tables[model], self.pk_types[model])
        for field_name, call in _fields(node):
            if _keyword_is(call, "primary_key", "True"):
                plan.pk_name = field_name
        plan.key_columns = _key_columns(node)
        bases = [dotted_name(b.value) for b in node.bases]
        if any(b not in MODEL_BASES for b in bases):
            plan.todos.append(f"base classes {bases}: model inheritance is not converted")
        for statement in block_statements(node.body):
            self.member(statement, plan)
        if not any(c.name == "id" for c in plan.columns) and not self.has_primary_key(node):
            self.use("sqlalchemy", plan.pk_type)
            pk = f"id: Mapped[int] = mapped_column({plan.pk_type}, primary_key=True)"
            plan.columns.insert(0, Column("id", pk, "id: int"))
        for reason in plan.todos:
            self.findings.note(model, reason, Status.partial)
        return [self.model_class(node, plan), self.schema(plan)]

    def convert_proxy(self, node: cst.ClassDef) -> cst.ClassDef:
        """A proxy model (`Meta.proxy = True`): its model's table under another Python class,
        which SQLAlchemy maps as a subclass with no table of its own (select(Proxy) loads the
        same rows). Its methods are kept; its managers and Meta go, as a model's do."""
        model = node.name.value
        finding = self.findings.add("model", model)
        finding.target_symbol = model
        plan = ModelPlan(model, "", "")
        kept: list[cst.BaseStatement] = []
        for statement in block_statements(node.body):
            assigned = _assignment(statement)
            kind = _field_kind(assigned[1]) if assigned is not None else None
            if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
                options = {k: v for k, v in _meta_options(statement).items() if k != "proxy"}
                for option in options:
                    if option not in ("verbose_name", "verbose_name_plural", "get_latest_by"):
                        plan.todos.append(f"Meta.{option} of the proxy model is not converted")
            elif assigned is not None and kind is not None and kind.endswith("Manager"):
                plan.todos.append(
                    f"manager {assigned[0]} = {code_of(assigned[1])}: queries go through select()"
                )
            elif _annotation_only(statement) is None:
                kept.append(statement)
        for reason in plan.todos:
            self.findings.note(model, reason, Status.partial)
        docstring = f'"""The proxy model {model} of Django: the rows of its base, as {model}."""'
        body = kept or [cst.parse_statement(docstring)]
        todos = [todo_line(reason) for reason in plan.todos]
        return node.with_changes(
            body=node.body.with_changes(body=body),
            leading_lines=[*node.leading_lines, *todos],
        )

    def has_primary_key(self, node: cst.ClassDef) -> bool:
        return any(_keyword_is(call, "primary_key", "True") for _, call in _fields(node))

    def member(self, statement: cst.BaseStatement, plan: ModelPlan) -> None:
        if isinstance(statement, cst.ClassDef):
            if statement.name.value == "Meta":
                self.meta(statement, plan)
            elif any(dotted_name(b.value) in _choices_bases() for b in statement.bases):
                plan.enums.append(self.choices_enum(statement))
            else:
                plan.kept.append(statement)
            return
        annotated = _annotation_only(statement)
        if annotated is not None:
            plan.todos.append(
                f"{annotated}: an annotation with no value (a hint for Django's dynamic "
                "attributes) is left out: the declarative model would take it for a column"
            )
            return
        assigned = _assignment(statement)
        if assigned is None:
            plan.kept.append(statement)
            return
        name, call = assigned
        kind = _field_kind(call)
        subclassed = self.custom_fields().get(kind or "")
        if subclassed is not None:  # a field class of SRC: its base's column
            plan.todos.append(
                f"field {name}: {kind} (a {subclassed} of SRC) gets the {subclassed} column; "
                "what it does on save is not carried"
            )
            kind = subclassed
        inner = encrypted_field(call, self.imported_names) if kind == "encrypt" else None
        if inner is not None and _field_kind(inner) in FIELDS:
            self.use(ENCRYPTED_RUNTIME, ENCRYPTED_TYPE)
            stored = value_type(plan.table, name)
            plan.columns.append(self.column(name, str(_field_kind(inner)), inner, plan, stored))
        elif kind in FIELDS:
            plan.columns.append(self.column(name, kind, call, plan))
        elif kind in RELATIONS:
            self.relation(name, kind, call, plan)
        elif kind is not None and (kind == "Manager" or kind.endswith("Manager")):
            plan.todos.append(f"manager {name} = {code_of(call)}: queries go through select()")
        elif kind is not None:
            plan.todos.append(f"field {name}: models.{kind} is not in the table, kept as is")
            plan.kept.append(statement)
        else:
            plan.kept.append(statement)

    def custom_fields(self) -> dict[str, str]:
        """The field classes of SRC subclassing one of Django's (custom_fields.py)."""
        if not hasattr(self, "_custom_fields"):
            sources = getattr(self.state.analysis, "models_sources", None) or []
            self._custom_fields = read_custom_fields(sources, frozenset(FIELDS))
        return self._custom_fields

    def column(
        self, name: str, kind: str, call: cst.Call, plan: ModelPlan, stored: str | None = None
    ) -> Column:
        """The column of field `name`; `stored`: its type when Django's field stores it
        (encrypted_fields.py), else the table's."""
        entry = FIELDS[kind]
        args = _keywords(call)
        self.unknown_options(name, args, plan)
        length = args.get("max_length")
        sa_type = entry.sqlalchemy.format(
            length=code_of(length) if length is not None else entry.default_length,
            digits=f"{_code(args.get('max_digits'))}, {_code(args.get('decimal_places'))}",
        )
        if stored is not None:
            sa_type = stored
        else:
            self.use(entry.type_module, sa_type.split("(")[0])
        python_type = entry.python_type
        if entry.python_module:
            python_type = self.python_type(entry.python_module, entry.python_type)
        schema_type = self.choices_type(args.get("choices"), plan) or python_type
        if isinstance(args.get("choices"), cst.Name | cst.List | cst.Tuple):
            plan.displays[name] = args["choices"]
        nullable = _is_true(args.get("null"))
        parts = [sa_type]
        db_column = args.get("db_column")
        if db_column is not None:
            parts.insert(0, code_of(db_column))
        if _is_true(args.get("primary_key")):
            parts.append("primary_key=True")
        if nullable:
            parts.append("nullable=True")
        if _is_true(args.get("unique")):
            parts.append("unique=True")
        if _is_true(args.get("db_index")):
            parts.append("index=True")
        if "default" in args:
            parts.append(f"default={code_of(args['default'])}")
        elif self.saves_empty_string(kind, args, nullable):
            parts.append('default=""')
        if _is_true(args.get("auto_now")) or _is_true(args.get("auto_now_add")):
            self.needs_now = True
            parts.append("default=_now")
            if _is_true(args.get("auto_now")):
                parts.append("onupdate=_now")
        if entry.check and stored is None:  # Django's stored bytes have no such check
            self.use("sqlalchemy", "CheckConstraint")
            check = entry.check.format(column=string_value(db_column) if db_column else name)
            plan.table_args.append(f"CheckConstraint({check!r})")
        full = f"{python_type} | None" if nullable else python_type
        self.use("sqlalchemy.orm", "Mapped")
        self.use("sqlalchemy.orm", "mapped_column")
        line = f"{name}: Mapped[{full}] = mapped_column({', '.join(parts)})"
        schema = f"{name}: {schema_type} | None" if nullable else f"{name}: {schema_type}"
        return Column(name, line, schema)

    @staticmethod
    def saves_empty_string(kind: str, args: dict[str, cst.BaseExpression], nullable: bool) -> bool:
        """Whether Django's `Field.get_default()` is "" for this field: a string field with no
        default=, not null=True, and not the primary key (which the row is looked up by)."""
        return (
            kind in EMPTY_STRING_DEFAULT and not nullable and not _is_true(args.get("primary_key"))
        )

    def unknown_options(
        self, name: str, args: dict[str, cst.BaseExpression], plan: ModelPlan
    ) -> None:
        for option in args:
            if option not in OPTIONS and option not in ("to", "through"):
                plan.todos.append(f"field {name}: option {option}= is not converted")

    def choices_type(self, choices: cst.BaseExpression | None, plan: ModelPlan) -> str | None:
        if choices is None:
            return None
        values: list[str] = []
        if isinstance(choices, cst.Attribute) and choices.attr.value == "choices":
            enum_name = dotted_name(choices.value)
            if enum_name and any(e.startswith(f"class {enum_name}(") for e in plan.enums):
                self.use("typing", "Literal")
                enum_code = next(e for e in plan.enums if e.startswith(f"class {enum_name}("))
                values = [line.split(" = ", 1)[1] for line in enum_code.splitlines()[1:]]
        elif isinstance(choices, cst.List | cst.Tuple):
            for element in choices.elements:
                pair = element.value
                if isinstance(pair, cst.Tuple | cst.List) and pair.elements:
                    values.append(code_of(pair.elements[0].value))
        if not values:
            plan.todos.append(
                f"choices {code_of(choices)} are not literal: the schema keeps the type"
            )
            return None
        self.use("typing", "Literal")
        return f"Literal[{', '.join(values)}]"

    def choices_enum(self, node: cst.ClassDef) -> str:
        base = next(
            CHOICES_CLASSES[name.rsplit(".", 1)[-1]]
            for name in (dotted_name(b.value) for b in node.bases)
            if name in _choices_bases()
        )
        self.use("enum", base)
        lines = [f"class {node.name.value}({base}):"]
        for statement in block_statements(node.body):
            assigned = name_assignment(statement)
            if assigned is None:
                continue
            name, value = assigned
            if isinstance(value, cst.Tuple) and value.elements:
                value = value.elements[0].value  # ("draft", "Draft"): the label is for display
            lines.append(f"    {name} = {code_of(value)}")
        return "\n".join(lines)

    def relation(self, name: str, kind: str, call: cst.Call, plan: ModelPlan) -> None:
        args = _keywords(call)
        self.unknown_options(name, args, plan)
        first = call.args[0].value if call.args and call.args[0].keyword is None else args.get("to")
        target, table, pk_type = self.target(first, plan)
        self.use("sqlalchemy.orm", "Mapped")
        self.use("sqlalchemy.orm", "mapped_column")
        self.use("sqlalchemy.orm", "relationship")
        if target is not None or kind == "ManyToManyField":
            self.use("sqlalchemy", "ForeignKey")
        self.use("sqlalchemy", pk_type)
        related = string_value(args["related_name"]) if "related_name" in args else None
        if kind == "ManyToManyField":
            self.many_to_many(name, target, table, pk_type, related, args, plan)
            return
        column = string_value(args["db_column"]) if "db_column" in args else None
        key = f"{name}_id"
        nullable = _is_true(args.get("null"))
        # a table of another models module is not in this module's metadata: SQLAlchemy
        # could not resolve a ForeignKey to it (every flush would raise NoReferencedTableError);
        # the database keeps Django's constraint
        parts = [pk_type, f'ForeignKey("{table}.id")'] if target is not None else [pk_type]
        if column and column != key:
            parts.insert(0, f'"{column}"')
        if nullable:
            parts.append("nullable=True")
        if kind == "OneToOneField":
            parts.append("unique=True")
        elif not _is_false(args.get("db_index")):
            parts.append("index=True")
        full = "int | None" if nullable else "int"
        plan.columns.append(
            Column(
                key, f"{key}: Mapped[{full}] = mapped_column({', '.join(parts)})", f"{key}: {full}"
            )
        )
        on_delete = dotted_name(args["on_delete"]) if "on_delete" in args else None
        if on_delete and not on_delete.endswith(("CASCADE", "DO_NOTHING")):
            plan.todos.append(f"{name}: on_delete={on_delete} is Django's, not converted")
        if target is None:
            row = self.related_row(name, first, key)
            if row is None:
                plan.todos.append(
                    f"{name}: the related model is not generated, only its {key} column (no "
                    "ForeignKey in this module's metadata; the database has Django's)"
                )
            else:
                plan.related_rows.append(row)
            return
        options = [_argument(target, self.shared), f"foreign_keys=[{key}]"]
        if target == plan.name:  # to its own model: the key is on this side (many-to-one)
            options.append(f"remote_side=lambda: [{plan.name}.{plan.pk_name}]")
        if related and related != "+":
            self.use("sqlalchemy.orm", "backref")
            cascade = (
                ', cascade="all, delete-orphan"'
                if on_delete and on_delete.endswith("CASCADE")
                else ""
            )
            if kind == "OneToOneField":
                rest = ", uselist=False"
            else:  # read as Django's related manager (`shelf.books.all`)
                rest = self.collection(plan.name, name, plan)
            options.append(f'backref=backref("{related}"{cascade}{rest})')
        annotation = f'Mapped["{target} | None"]' if nullable else f'Mapped["{target}"]'
        plan.columns.append(
            Column(name, f"{name}: {annotation} = relationship({', '.join(options)})")
        )

    def many_to_many(
        self,
        name: str,
        target: str | None,
        table: str,
        pk_type: str,
        related: str | None,
        args: dict[str, cst.BaseExpression],
        plan: ModelPlan,
    ) -> None:
        if "through" in args:
            through = dotted_name(args["through"]) or string_value(args["through"])
            secondary = self.tables.get((through or "").rsplit(".", 1)[-1], "")
            plan.todos.append(
                f"{name}: through={through}: the relationship reads its links (viewonly); "
                f"write them as {through} rows"
                if secondary
                else f"{name}: through={through}: map that model's table as secondary"
            )
        else:
            given = string_value(args["db_table"]) if "db_table" in args else None
            secondary = given or m2m_table_name(plan.table, name)
            # Django names the columns after the models (the table of a model of another
            # module ends with its lower-cased name)
            # (Django's own models generated here are named for their app: by their table)
            contrib = target in (GROUP_CLASS, SITE_CLASS)
            named = target.rsplit(".", 1)[-1] if target and not contrib else None
            other = (named or table.rsplit("_", 1)[-1]).lower()
            source = plan.name.lower()
            if source == other:
                source, other = f"from_{source}", f"to_{other}"
            other_key = f', ForeignKey("{table}.id")' if target is not None else ""
            self.use("sqlalchemy", "Table")
            self.use("sqlalchemy", "Column")
            self.use("sqlalchemy", "UniqueConstraint")
            self.association.append(
                f"{secondary} = Table(\n"
                f'    "{secondary}",\n'
                "    Base.metadata,\n"
                f'    Column("id", {self.default_pk()}, primary_key=True),\n'
                f'    Column("{source}_id", {plan.pk_type}, ForeignKey("{plan.table}.id"),'
                " nullable=False, index=True),\n"
                f'    Column("{other}_id", {pk_type}{other_key}, nullable=False, index=True),\n'
                f'    UniqueConstraint("{source}_id", "{other}_id"),\n'
                ")\n"
            )
        if target is None or not secondary:
            plan.todos.append(f"{name}: the related model is not generated, no relationship")
            return
        options = [_argument(target, self.shared), f'secondary="{secondary}"']
        options.append(self.collection(target, name, plan).removeprefix(", "))
        if "through" in args:
            options.append("viewonly=True")
        # Django's reverse accessor: the related_name, else `<model>_set` (none on a
        # symmetrical many-to-many to the model itself)
        symmetrical = target == plan.name and not _is_false(args.get("symmetrical"))
        reverse = None if symmetrical else related or f"{plan.name.lower()}_set"
        if reverse and reverse != "+" and not reverse.endswith("+"):
            self.use("sqlalchemy.orm", "backref")
            rest = self.collection(plan.name, name, plan)
            viewonly = ", viewonly=True" if "through" in args else ""
            options.append(f'backref=backref("{reverse}"{rest}{viewonly})')
        plan.columns.append(
            Column(name, f'{name}: Mapped[list["{target}"]] = relationship({", ".join(options)})')
        )

    def collection(self, model: str, field_name: str, plan: ModelPlan) -> str:
        """The options making a to-many relationship to `model` read as Django's related
        manager: `.all`/`.count`/`.exists` (RelatedList), in `model`'s Meta.ordering."""
        self.use(*RELATED_LIST)
        options = ", collection_class=RelatedList"
        ordering, columns, pk_name = self.orderings.get(model, (None, set(), "id"))
        try:
            found = order_by(model, ordering, columns, pk_name)
        except NotOrdered as error:
            plan.todos.append(f"{field_name}: its rows are not ordered as Django's: {error}")
            found = None
        return f'{options}, order_by="{found}"' if found else options

    def default_pk(self) -> str:
        pk = self.auto_pk_type()
        self.use("sqlalchemy", pk)
        return pk

    def target(
        self, node: cst.BaseExpression | None, plan: ModelPlan
    ) -> tuple[str | None, str, str]:
        """The related model's class (when generated here), table and primary key type."""
        name = (dotted_name(node) or string_value(node)) if node is not None else None
        if name in ("settings.AUTH_USER_MODEL", "auth.User", "User"):
            self.needs_user = True
            return self.user_class, AUTH_USER_TABLE, "Integer"
        if name == "self":
            name = plan.name
        short = (name or "").rsplit(".", 1)[-1]
        other = self.other_module(node) if self.shared else None
        if other is None and self.shared and isinstance(node, cst.Name):
            other = self.imported_model(node.value)
        if short in self.tables and other is None:
            return short, self.tables[short], self.pk_types[short]
        if not self.shared and is_auth_group(name, self.group_imported, set(self.tables)):
            self.needs_group = True
            return GROUP_CLASS, GROUP_TABLE, "Integer"
        if not self.shared and is_sites_site(name, self.site_imported, set(self.tables)):
            self.needs_site = True
            return SITE_CLASS, SITE_TABLE, "Integer"
        if other is not None:
            label, module = other
            alias = module_alias(module)
            parent, level = relative_import(self.state.module_path, module)
            package, _, last = parent.rpartition(".")
            add_import(self.context, package, last, asname=alias, relative=level)
            return f"{alias}.{short}", table_name(label, short), self.default_pk()
        plan.todos.append(f"related model {name} is not in this module")
        return None, table_name(self.app_label(), short or "unknown"), self.default_pk()

    def other_module(self, node: cst.BaseExpression | None) -> tuple[str, tuple[str, ...]] | None:
        """(app label, models module) of a related model written `"app_label.Model"` whose
        models module is another of SRC's."""
        written = string_value(node) if node is not None else None
        label, _, model = (written or "").rpartition(".")
        labels = getattr(self.state.analysis, "label_models", None)
        module = labels.get(label) if isinstance(labels, dict) and label else None
        if module is None or tuple(module) == self.state.module_path or not model:
            return None
        return label, tuple(module)

    def imported_model(self, name: str) -> tuple[str, tuple[str, ...]] | None:
        """(app label, models module) of a related model given as a class imported from another
        models module of SRC that defines it (`from explorer.ee.db_connections.models import
        DatabaseConnection`); the label is that of the app holding the module."""
        found = self.imported_names.get(name)
        root = getattr(self.state.analysis, "root", None)
        if found is None or root is None:
            return None
        dotted, level = found
        if level:
            here = list(self.state.module_path[:-1])
            base = here[: len(here) - (level - 1)]
            parts = [*base, *(dotted.split(".") if dotted else [])]
        else:  # `explorer.ee.db_connections.models` in SRC `.../explorer`: under SRC's folders
            written = dotted.split(".")
            folders = Path(root).resolve().parts
            parts = next(
                (
                    written[n:]
                    for n in range(1, len(written))
                    if tuple(written[:n]) == folders[len(folders) - n :]
                ),
                [],
            )
        module = (*parts[:-1], parts[-1] + ".py") if parts else ()
        if not module or parts[-1] != "models" or module == tuple(self.state.module_path):
            return None
        try:
            source = Path(root).joinpath(*module).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        defining = re.compile(rf"^class {re.escape(name)}\b", re.M)
        sources = getattr(self.state.analysis, "models_sources", None) or [source]
        if not defining.search(source) or sum(bool(defining.search(t)) for t in sources) != 1:
            return None  # as model_relations reads it: the one models class of that name
        return self.label_of(module), module

    def related_row(self, name: str, node: cst.BaseExpression | None, key: str) -> str | None:
        """`name` as a property loading the related row by `key` when its model (written
        `"app_label.Model"`) is in another models module of SRC, whose generated twin has it."""
        found = self.other_module(node)
        if found is None:
            return None
        model = (string_value(node) or "").rpartition(".")[2] if node is not None else ""
        target, level = relative_import(self.state.module_path, found[1])
        self.use("codemods.runtime.django.queries", "related_row")
        return (
            "@property\n"
            f"def {name}(self):\n"
            f'    """The related {model} (of another models module), loaded by {key}."""\n'
            f"    from {'.' * level}{target} import {model}\n\n"
            f"    return related_row(self, {model}, self.{key})\n"
        )

    def user_model(self) -> cst.BaseStatement:
        """django.contrib.auth's User on its auth_user table, for the models' foreign keys to it
        (`post.author.username`, `user.posts`): the columns Django's migrations create."""
        for module, name in AUTH_USER_IMPORTS:
            self.use(module, name)
        stamp = self.python_type("datetime", "datetime")
        code = auth_user_class(self.user_class, stamp)
        return _statement(code, blank_lines=2)

    def group_model(self) -> cst.BaseStatement:
        """django.contrib.auth's Group on auth_group, for the foreign keys to it."""
        for module, name in AUTH_GROUP_IMPORTS:
            self.use(module, name)
        return _statement(auth_group_class(), blank_lines=2)

    def site_model(self) -> cst.BaseStatement:
        """django.contrib.sites' Site on django_site, for the relations to it."""
        for module, name in SITES_SITE_IMPORTS:
            self.use(module, name)
        return _statement(sites_site_class(), blank_lines=2)

    def meta(self, node: cst.ClassDef, plan: ModelPlan) -> None:
        for option, value in _meta_options(node).items():
            if option == "db_table" or (option == "app_label" and string_value(value)):
                continue  # table_of's
            if option == "ordering":
                plan.ordering = code_of(value)
            elif option == "indexes" and isinstance(value, cst.List):
                for element in value.elements:
                    self.index(element.value, plan)
            elif option == "constraints" and isinstance(value, cst.List | cst.Tuple):
                for element in value.elements:
                    self.constraint(element.value, plan)
            elif option == "unique_together":
                groups = value.elements if isinstance(value, cst.List | cst.Tuple) else []
                if groups and not isinstance(groups[0].value, cst.List | cst.Tuple):
                    groups = [cst.Element(value)]
                for group in groups:
                    self.use("sqlalchemy", "UniqueConstraint")
                    names = [
                        _column_code(e.value, plan)
                        for e in group.value.elements  # type: ignore[attr-defined]
                    ]
                    plan.table_args.append(f"UniqueConstraint({', '.join(names)})")
            elif option == "abstract":
                plan.todos.append("Meta.abstract: mapped as a table; make it a mixin by hand")
            elif option in ("verbose_name", "verbose_name_plural", "get_latest_by"):
                continue
            else:
                plan.todos.append(f"Meta.{option} is not converted")

    def constraint(self, node: cst.BaseExpression, plan: ModelPlan) -> None:
        """`UniqueConstraint(fields=[...], name=...)` and `CheckConstraint(check=Q(...),
        name=...)` (`condition=` since Django 5.1) of Meta.constraints, on the same columns and
        names; anything more (a unique condition, expressions, deferrable) is reported."""
        kind = (dotted_name(node.func) or "") if isinstance(node, cst.Call) else ""
        kind = kind.rsplit(".", 1)[-1]
        args = _keywords(node) if isinstance(node, cst.Call) else {}
        name = string_value(args["name"]) if "name" in args else None
        positional = isinstance(node, cst.Call) and any(a.keyword is None for a in node.args)
        if kind == "UniqueConstraint" and not positional and set(args) <= {"fields", "name"}:
            fields = [string_value(e.value) for e in getattr(args.get("fields"), "elements", [])]
            if fields and all(fields):
                columns = ", ".join(f'"{plan.column_of(str(f))}"' for f in fields)
                self.use("sqlalchemy", "UniqueConstraint")
                named = f", name={name!r}" if name else ""
                plan.table_args.append(f"UniqueConstraint({columns}{named})")
                return
        elif kind == "CheckConstraint" and not positional and name:
            condition = args.get("check") or args.get("condition")
            rest = set(args) - {"check", "condition", "name"}
            sql = condition_sql(condition, plan.column_of) if condition and not rest else None
            if sql is not None:
                self.use("sqlalchemy", "CheckConstraint")
                plan.table_args.append(f"CheckConstraint({sql!r}, name={name!r})")
                return
        plan.todos.append(f"Meta.constraints: {code_of(node)} is not converted")

    def index(self, node: cst.BaseExpression, plan: ModelPlan) -> None:
        if not isinstance(node, cst.Call):
            plan.todos.append(f"Meta.indexes: {code_of(node)} is not converted")
            return
        args = _keywords(node)
        fields = args.get("fields")
        names = [string_value(e.value) or "" for e in getattr(fields, "elements", [])]
        if not names or set(args) - {"fields", "name"}:
            plan.todos.append(f"Meta.indexes: {code_of(node)} is only partly converted")
            if not names:
                return
        self.use("sqlalchemy", "Index")
        columns = []
        for column in names:
            if column.startswith("-"):
                self.use("sqlalchemy", "text")
                columns.append(f'text("{column[1:]} DESC")')
            else:
                columns.append(f'"{plan.column_of(column)}"')
        given = string_value(args["name"]) if "name" in args else None
        index_name = given or f"{plan.table}_{'_'.join(n.lstrip('-') for n in names)}_idx"
        plan.table_args.append(f'Index("{index_name}", {", ".join(columns)})')

    # -- output ----------------------------------------------------------------------------------
    def model_class(self, node: cst.ClassDef, plan: ModelPlan) -> cst.BaseStatement:
        bases = "Base"
        legacy = ast.parse(code_of(node)).body[0]
        if isinstance(legacy, ast.ClassDef) and runs_on_rows(legacy):
            self.use(OWN_SAVE_MODULE, ROW_SAVE)  # its own save() ends in the row's write
            bases = f"{ROW_SAVE}, Base"
        lines = [f"class {plan.name}({bases}):"]
        docstring = _docstring(node)
        if docstring:
            lines.append(f"    {docstring}")
        lines.append(f'    __tablename__ = "{plan.table}"')
        if plan.table_args:
            lines.append(f"    __table_args__ = ({', '.join(plan.table_args)},)")
        if plan.ordering:
            lines.append("    # Django's Meta.ordering, to apply in queries (order_by)")
            lines.append(f"    __ordering__ = {plan.ordering}")
        for enum in plan.enums:
            lines.append("")
            lines.extend(f"    {line}" for line in enum.splitlines())
        lines.append("")
        lines.extend(f"    {c.line}" for c in plan.columns)
        lines.append("")
        lines.append("    @property")
        lines.append("    def pk(self):")
        lines.append('        """The primary key, as Django\'s `instance.pk`."""')
        lines.append(f"        return self.{plan.pk_name}")
        for row in plan.related_rows:
            lines.append("")
            lines.extend(f"    {line}" if line else "" for line in row.splitlines())
        statement = cst.parse_statement("\n".join(lines) + "\n")
        assert isinstance(statement, cst.ClassDef)
        kept = [s for s in plan.kept if not _is_docstring(s)]
        # the class attributes and nested classes before the first method, which the fields
        # may name (`max_length=LIMIT`, `default=Notify.NEVER`), come before the columns; the
        # rest keeps its order after them (`name = property(get_name)` names a method)
        first_method = next(
            (i for i, s in enumerate(kept) if isinstance(s, cst.FunctionDef)), len(kept)
        )
        values, methods = kept[:first_method], kept[first_method:]
        if isinstance(legacy, ast.ClassDef) and runs_on_rows(legacy):
            methods = self.stored_save(legacy, methods)
        # the generated body: header (table name, enums), the columns, then `pk` and the
        # related rows' properties
        header_end = len(statement.body.body) - len(plan.columns) - 1 - len(plan.related_rows)
        header, columns = statement.body.body[:header_end], statement.body.body[header_end:]
        body = [*header, *values, *columns, *_displays(node, plan), *methods, *self.twins(node)]
        leading = [*node.leading_lines, *(todo_line(reason) for reason in plan.todos)]
        return statement.with_changes(
            body=statement.body.with_changes(body=body), leading_lines=leading
        )

    def stored_save(
        self, legacy: ast.ClassDef, methods: list[cst.BaseStatement]
    ) -> list[cst.BaseStatement]:
        """A save reading the stored row (stored_save.py) rewritten onto the runtime's reads."""
        save = own_save(legacy)
        if save is None or plain_save(save, model_fields(legacy)):
            return methods
        found = []
        for method in methods:
            if isinstance(method, cst.FunctionDef) and method.name.value == "save":
                method = rewritten(method, legacy)
                for name in (STORED_ROW, STORED_COUNT):
                    if name in code_of(method):
                        self.use(OWN_SAVE_MODULE, name)
            found.append(method)
        return found

    def twins(self, node: cst.ClassDef) -> list[cst.FunctionDef]:
        """The translated twins of the model's querying methods (model_methods.py)."""
        sources = getattr(self.state.analysis, "models_sources", None) or []
        found = []
        for twin in read_method_twins(sources).get(node.name.value, {}).values():
            if twin.reason:
                continue
            method, imports = twin_method(twin)
            for module, name in sorted(imports):
                self.use(module, name)
            found.append(method)
        return found

    def schema(self, plan: ModelPlan) -> cst.BaseStatement:
        self.use("pydantic", "BaseModel")
        self.use("pydantic", "ConfigDict")
        fields = "\n".join(f"    {c.schema}" for c in plan.columns if c.schema) or "    pass"
        code = (
            f"class {plan.name}Schema(BaseModel):\n"
            f'    """What views return for a {plan.name} (its columns)."""\n\n'
            "    model_config = ConfigDict(from_attributes=True)\n\n"
            f"{fields}\n"
        )
        self.findings.add("schema", plan.name, f"{plan.name}Schema")
        return _statement(code, blank_lines=2)


def _displays(node: cst.ClassDef, plan: ModelPlan) -> list[cst.BaseStatement]:
    """`get_<field>_display()` of each field with choices: the label of the row's value (the
    value itself when no choice has it), as Django's."""
    attributes = {
        target.target.value
        for statement in node.body.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, cst.Assign)
        for target in small.targets
        if isinstance(target.target, cst.Name)
    }
    methods: list[cst.BaseStatement] = []
    for name, choices in plan.displays.items():
        code = code_of(choices)
        if isinstance(choices, cst.Name) and choices.value in attributes:
            code = f"self.{code}"
        method = cst.parse_statement(
            f"def get_{name}_display(self):\n"
            f'    """The label of {name}\'s choice, as Django\'s `get_{name}_display()`."""\n'
            f"    return dict({code}).get(self.{name}, self.{name})\n"
        )
        methods.append(method.with_changes(leading_lines=[cst.EmptyLine()]))
    return methods


def _ordering(node: cst.ClassDef) -> tuple[cst.BaseExpression | None, set[str], str]:
    """A model's Meta.ordering, the names of its columns and its primary key's name."""
    columns = {"id"}
    pk_name = "id"
    for name, call in _fields(node):
        kind = _field_kind(call)
        if kind in FIELDS:
            columns.add(name)
        elif kind in RELATIONS and kind != "ManyToManyField":
            columns.add(f"{name}_id")
        if _keyword_is(call, "primary_key", "True"):
            pk_name = name
    return _meta(node).get("ordering"), columns, pk_name


def _key_columns(node: cst.ClassDef) -> dict[str, str]:
    """Each field of the model whose column is not its name: `db_column`, else `<name>_id` for
    a foreign key or one-to-one field."""
    found = {}
    for name, call in _fields(node):
        kind = _field_kind(call)
        given = _keywords(call).get("db_column")
        column = string_value(given) if given is not None else None
        if column:
            found[name] = column
        elif kind in RELATIONS and kind != "ManyToManyField":
            found[name] = f"{name}_id"
    return found


def _column_code(node: cst.BaseExpression, plan: ModelPlan) -> str:
    """A field named in Meta, as the column's name: a foreign key's `<name>_id`."""
    name = string_value(node)
    if name is not None and name in plan.key_columns:
        return f'"{plan.key_columns[name]}"'
    return code_of(node)


def _choices_bases() -> set[str]:
    return {f"{prefix}{name}" for name in CHOICES_CLASSES for prefix in ("models.", "")}


def _proxies(module: cst.Module, models: set[str]) -> list[cst.ClassDef]:
    """The proxy models of the module's models (and of their proxies), in order."""
    found: list[cst.ClassDef] = []
    bases = set(models)
    for statement in module.body:
        if not isinstance(statement, cst.ClassDef) or _is_model(statement):
            continue
        if not any(dotted_name(b.value) in bases for b in statement.bases):
            continue
        if _is_true(_meta(statement).get("proxy")):
            found.append(statement)
            bases.add(statement.name.value)
    return found


def _is_model(node: cst.ClassDef) -> bool:
    return any(dotted_name(b.value) in MODEL_BASES for b in node.bases)


def _meta(node: cst.ClassDef) -> dict[str, cst.BaseExpression]:
    for statement in block_statements(node.body):
        if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
            return _meta_options(statement)
    return {}


def _meta_options(meta: cst.ClassDef) -> dict[str, cst.BaseExpression]:
    found: dict[str, cst.BaseExpression] = {}
    for inner in block_statements(meta.body):
        assigned = name_assignment(inner)
        if assigned is not None:
            found[assigned[0]] = assigned[1]
    return found


def _annotation_only(statement: cst.BaseStatement) -> str | None:
    """The code of `name: T`, a class-level annotation with no value."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.AnnAssign) and small.value is None:
            return code_of(small)
    return None


def _assignment(statement: cst.CSTNode) -> tuple[str, cst.Call] | None:
    """`(name, call)` of `name = call(...)`, or of `name: T = call(...)`: a type hint on a field
    or a manager (`objects: ClassVar[BookManager] = BookManager()`) is for type checkers, and the
    generated model says its own types (an annotation SQLAlchemy would read is left out)."""
    assigned = name_assignment(statement) or _annotated_assignment(statement)
    if assigned is not None and isinstance(assigned[1], cst.Call):
        return assigned[0], assigned[1]
    return None


def _annotated_assignment(statement: cst.CSTNode) -> tuple[str, cst.BaseExpression] | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.AnnAssign) or small.value is None:
        return None
    return (small.target.value, small.value) if isinstance(small.target, cst.Name) else None


def _fields(node: cst.ClassDef) -> list[tuple[str, cst.Call]]:
    found = (_assignment(s) for s in block_statements(node.body))
    return [f for f in found if f is not None]


def _field_kind(call: cst.Call) -> str | None:
    """The field class's name; of a class subscripted for type checkers too
    (`models.ForeignKey['AbstractUser'](...)`, django-types' generic fields)."""
    func = call.func.value if isinstance(call.func, cst.Subscript) else call.func
    name = dotted_name(func)
    if name is None:
        return None
    return name.rsplit(".", 1)[-1]


def _keywords(call: cst.Call) -> dict[str, cst.BaseExpression]:
    return {a.keyword.value: a.value for a in call.args if a.keyword is not None}


def _keyword_is(call: cst.Call, name: str, value: str) -> bool:
    found = _keywords(call).get(name)
    return found is not None and dotted_name(found) == value


def _is_true(node: cst.BaseExpression | None) -> bool:
    return node is not None and dotted_name(node) == "True"


def _is_false(node: cst.BaseExpression | None) -> bool:
    return node is not None and dotted_name(node) == "False"


def _code(node: cst.BaseExpression | None) -> str:
    return code_of(node) if node is not None else "None"


def _docstring(node: cst.ClassDef) -> str | None:
    first = block_statements(node.body)[0] if block_statements(node.body) else None
    return code_of(first).strip() if first is not None and _is_docstring(first) else None


def _is_docstring(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        small = statement.body[0]
        return isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
    return False


def _statement(code: str, blank_lines: int = 0) -> cst.BaseStatement:
    statement = cst.parse_statement(code)
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * blank_lines)


def _argument(target: str, shared: bool) -> str:
    """A relationship's first argument: the class's name in the module's own registry, or, in
    the registry the models modules share (where two of them may each have a `Category`), the
    class itself (`module_alias.Model` for another module's), read once the mappers configure."""
    return f"lambda: {target}" if shared else f'"{target}"'


def _imported_names(module: cst.Module) -> dict[str, tuple[str, int]]:
    """Local name -> (the module it is imported from as written, relative level), for the
    module's top-level `from X import Name` (not renamed)."""
    names: dict[str, tuple[str, int]] = {}
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            written = dotted_name(small.module) if small.module is not None else ""
            for alias in small.names:
                if alias.asname is None and isinstance(alias.name, cst.Name):
                    names[alias.name.value] = (written or "", len(small.relative))
    return names


def _imported_modules(module: cst.Module) -> set[str]:
    """The modules a module imports whole at its top level, under their own name."""
    names: set[str] = set()
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if alias.asname is None and isinstance(alias.name, cst.Name):
                        names.add(alias.name.value)
    return names
