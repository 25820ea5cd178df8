"""Flask-SQLAlchemy models -> SQLAlchemy 2.0 declarative models on the same tables and columns
(`Mapped[...]`, `mapped_column`), each followed by a Pydantic response schema
(`from_attributes=True`). `db = SQLAlchemy()` becomes the declarative `Base`."""

from __future__ import annotations

import libcst as cst

from codemods.engine.comments import todo_line
from codemods.engine.context import ModuleContext, add_import, remove_import
from codemods.engine.edit import block_statements, expr
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, keyword, positional, string_value
from codemods.engine.rule import Rule
from codemods.flask.analysis import analysis_of
from codemods.flask.tables.sqlalchemy import COLUMN_TYPES, ORM_NAMES, default_table_name


class ModelsRule(Rule):
    name = "models"
    DESCRIPTION = "Flask-SQLAlchemy models -> SQLAlchemy 2.0 declarative + Pydantic schemas."
    triggers = ("db.Model", "SQLAlchemy(")

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.db = "db"
        self.tables: dict[str, str] = {}
        # Model class -> its class node, rendered to code the first time it is asked for.
        self._model_sources: dict[str, str | cst.ClassDef] = {}

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.ClassDef) and self.is_model(statement):
                self.tables[statement.name.value] = self.table_name(statement)

    def is_model(self, node: cst.ClassDef) -> bool:
        return any(dotted_name(base.value) == f"{self.db}.Model" for base in node.bases)

    def table_name(self, node: cst.ClassDef) -> str:
        for statement in node.body.body:
            if isinstance(statement, cst.SimpleStatementLine):
                small = statement.body[0]
                if isinstance(small, cst.Assign) and dotted_name(small.targets[0].target) == (
                    "__tablename__"
                ):
                    return string_value(small.value) or default_table_name(node.name.value)
        return default_table_name(node.name.value)

    # `db = SQLAlchemy()` -> `class Base(DeclarativeBase)`
    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        small = original_node.body[0]
        if (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Call)
            and dotted_name(small.value.func) in ("SQLAlchemy", "flask_sqlalchemy.SQLAlchemy")
            and analysis_of(self.state).derives_db_model
        ):
            add_import(self.context, "sqlalchemy.orm", "DeclarativeBase")
            remove_import(self.context, "flask_sqlalchemy", "SQLAlchemy")
            self.findings.note(
                None,
                "db = SQLAlchemy() -> Base; queries through db.session/Model.query need a session",
                Status.partial,
            )
            base = cst.parse_statement(
                "class Base(DeclarativeBase):\n"
                '    """The declarative base of the migrated models (was `db.Model`)."""\n'
            )
            kept = updated_node.with_changes(
                leading_lines=[
                    *updated_node.leading_lines,
                    todo_line("views still using db.session need a SQLAlchemy session dependency"),
                ]
            )
            return cst.FlattenSentinel([kept, base.with_changes(leading_lines=[cst.EmptyLine()])])
        return updated_node

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        if not self.tables or isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        names = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in updated_node.names]
        if any(isinstance(a.name, cst.Name) and a.name.value == self.db for a in names):
            # `db` stays while other code uses it; the cleanup rule drops it otherwise.
            remove_import(self.context, _module_of(updated_node), self.db)
            names.append(cst.ImportAlias(name=cst.Name("Base")))
            return updated_node.with_changes(names=names, lpar=None, rpar=None)
        return updated_node

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef | cst.FlattenSentinel[cst.BaseStatement]:
        if not self.is_model(original_node):
            return updated_node
        model = original_node.name.value
        finding = self.findings.add("model", model)
        bases = [
            b.with_changes(value=cst.Name("Base"))
            if dotted_name(b.value) == f"{self.db}.Model"
            else b
            for b in updated_node.bases
        ]
        body: list[cst.BaseStatement] = []
        has_table = False
        schema_fields: list[str] = []
        for statement in block_statements(updated_node.body):
            converted = self.member(statement, model, schema_fields)
            if converted is None:
                body.append(statement)
                continue
            if converted == "tablename":
                has_table = True
                body.append(statement)
                continue
            assert isinstance(converted, cst.BaseStatement)
            body.append(converted)
        if not has_table:
            table = cst.parse_statement(f'__tablename__ = "{self.tables[model]}"')
            body.insert(_after_docstring(body), table)
        model_class = updated_node.with_changes(
            bases=bases, body=updated_node.body.with_changes(body=body)
        )
        schema = self.schema(model, schema_fields)
        finding.target_symbol = model
        return cst.FlattenSentinel([model_class, schema])

    def member(
        self, statement: cst.BaseStatement, model: str, schema_fields: list[str]
    ) -> cst.BaseStatement | str | None:
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        small = statement.body[0]
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        name = dotted_name(small.targets[0].target)
        if name == "__tablename__":
            return "tablename"
        if name is None or not isinstance(small.value, cst.Call):
            return None
        callee = dotted_name(small.value.func)
        if callee == f"{self.db}.Column":
            annotation, python_type = self.column_type(small.value, model, name)
            schema_fields.append(f"{name}: {python_type}")
            value = self.strip_db(small.value).with_changes(func=cst.Name("mapped_column"))
            add_import(self.context, "sqlalchemy.orm", "Mapped")
            add_import(self.context, "sqlalchemy.orm", "mapped_column")
            return self.annotated(statement, name, annotation, value)
        if callee == f"{self.db}.relationship":
            annotation = self.relationship_type(small.value, model)
            value = self.strip_db(small.value)
            return self.annotated(statement, name, annotation, value)
        return None

    def annotated(
        self,
        statement: cst.SimpleStatementLine,
        name: str,
        annotation: str,
        value: cst.BaseExpression,
    ) -> cst.SimpleStatementLine:
        line = cst.AnnAssign(
            target=cst.Name(name), annotation=cst.Annotation(expr(annotation)), value=value
        )
        return statement.with_changes(body=[line])

    def column_type(self, call: cst.Call, model: str, name: str) -> tuple[str, str]:
        first = positional(call, 0)
        if first is not None and string_value(first.value) is not None:
            first = positional(call, 1)  # an explicit column name comes first
        type_expr = first.value if first else None
        type_node = type_expr.func if isinstance(type_expr, cst.Call) else type_expr
        type_name = dotted_name(type_node) if type_node is not None else None
        short = type_name.removeprefix(f"{self.db}.") if type_name else None
        entry = COLUMN_TYPES.get(short or "")
        if entry is None:
            self.findings.note(model, f"column {name}: type {type_name} is not in the table")
            python_type = "Any"
            add_import(self.context, "typing", "Any")
        else:
            python_type = entry[1]
            if entry[2]:
                add_import(self.context, entry[2], python_type)
        nullable_arg = keyword(call, "nullable")
        primary = keyword(call, "primary_key")
        not_null = (nullable_arg is not None and dotted_name(nullable_arg.value) == "False") or (
            primary is not None and dotted_name(primary.value) == "True"
        )
        full = python_type if not_null else f"{python_type} | None"
        return f"Mapped[{full}]", full

    def relationship_type(self, call: cst.Call, model: str) -> str:
        first = positional(call, 0)
        target = string_value(first.value) if first else None
        if target is None:
            self.findings.note(model, "relationship target is not a string")
            add_import(self.context, "typing", "Any")
            return "Mapped[Any]"
        lazy = keyword(call, "lazy")
        uselist = keyword(call, "uselist")
        add_import(self.context, "sqlalchemy.orm", "Mapped")
        if lazy is not None and string_value(lazy.value) == "dynamic":
            add_import(self.context, "sqlalchemy.orm", "DynamicMapped")
            return f'DynamicMapped["{target}"]'
        many_to_one = self.has_foreign_key_to(model, self.tables.get(target, ""))
        if uselist is not None:
            many_to_one = dotted_name(uselist.value) == "False"
        return f'Mapped["{target}"]' if many_to_one else f'Mapped[list["{target}"]]'

    def has_foreign_key_to(self, model: str, table: str) -> bool:
        if not table:
            return False
        source = self._model_sources.get(model, "")
        if isinstance(source, cst.ClassDef):  # rendered the first time it is asked for
            source = self._model_sources[model] = cst.Module(body=[]).code_for_node(source)
        return f'"{table}.' in source

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if self.is_model(node):
            self._model_sources[node.name.value] = node
        return False  # pruning: leave_ClassDef reads the class body itself

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def strip_db(self, call: cst.Call) -> cst.Call:
        """`db.String(80)` -> `String(80)`, importing each name from SQLAlchemy."""
        rule = self

        class Strip(cst.CSTTransformer):
            def leave_Attribute(
                self, original_node: cst.Attribute, updated_node: cst.Attribute
            ) -> cst.BaseExpression:
                if dotted_name(original_node.value) != rule.db:
                    return updated_node
                name = original_node.attr.value
                module = ORM_NAMES.get(name) or ("sqlalchemy" if name in COLUMN_TYPES else None)
                if module is None:
                    rule.findings.note(None, f"db.{name} is not converted")
                    return updated_node
                add_import(rule.context, module, name)
                return cst.Name(name)

        result = self.rewrite(call, Strip())
        assert isinstance(result, cst.Call)
        return result

    def schema(self, model: str, fields: list[str]) -> cst.BaseStatement:
        add_import(self.context, "pydantic", "BaseModel")
        add_import(self.context, "pydantic", "ConfigDict")
        lines = "\n".join(f"    {f}" for f in fields) or "    pass"
        code = (
            f"class {model}Schema(BaseModel):\n"
            f'    """What views return for a {model} (columns only)."""\n\n'
            "    model_config = ConfigDict(from_attributes=True)\n\n"
            f"{lines}\n"
        )
        statement = cst.parse_statement(code)
        self.findings.add("schema", model, f"{model}Schema")
        return statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])


def _after_docstring(body: list[cst.BaseStatement]) -> int:
    if body and isinstance(body[0], cst.SimpleStatementLine):
        small = body[0].body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString):
            return 1
    return 0


def _module_of(node: cst.ImportFrom) -> str:
    name = cst.Module(body=[]).code_for_node(node.module) if node.module else ""
    return "." * len(node.relative) + name
