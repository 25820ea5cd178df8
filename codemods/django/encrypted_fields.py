"""django-cryptography's `encrypt(models.CharField(...))`: a column Django stores encrypted
(bytes) and reads back as the wrapped field's value. The models rule gives it a column of the
runtime's `DjangoFieldValue` type (codemods/runtime/django/django_fields.py), which reads and
writes through Django's own field, so the row holds what Django's instance holds; the template
and row checks then read it as a column (template_reads.py).

    from django_cryptography.fields import encrypt
    host = encrypt(models.CharField(max_length=255, blank=True))
->  host: Mapped[str] = mapped_column(DjangoFieldValue("explorer_databaseconnection", "host"))

Only `encrypt` imported by that name from `django_cryptography.fields`, given one field call
positionally (no key or ttl): anything else stays as written.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.engine.nodes import dotted_name

MODULE = "django_cryptography.fields"
NAME = "encrypt"
RUNTIME = "codemods.runtime.django.django_fields"
TYPE = "DjangoFieldValue"


def encrypted_field(call: cst.Call, imported: dict[str, tuple[str, int]]) -> cst.Call | None:
    """The field call `encrypt(...)` wraps (libcst), when it is django-cryptography's."""
    if dotted_name(call.func) != NAME or imported.get(NAME) != (MODULE, 0):
        return None
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    inner = call.args[0].value
    return inner if isinstance(inner, cst.Call) else None


def encrypted_kind(call: ast.Call, module: ast.Module) -> str | None:
    """The wrapped field's class name (ast), when `call` is django-cryptography's `encrypt`."""
    imported = any(
        isinstance(node, ast.ImportFrom)
        and node.module == MODULE
        and node.level == 0
        and any(alias.name == NAME and alias.asname is None for alias in node.names)
        for node in module.body
    )
    if not imported or not (isinstance(call.func, ast.Name) and call.func.id == NAME):
        return None
    if len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.Call):
        return None
    return ast.unparse(call.args[0].func).rsplit(".", 1)[-1]


def value_type(table: str, name: str) -> str:
    """The column type of field `name` of the model on `table`."""
    return f"{TYPE}({table!r}, {name!r})".replace("'", '"')
