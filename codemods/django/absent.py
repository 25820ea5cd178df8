"""Reads of a name a model's instances do not have, read from the legacy source with `ast`.

Django's template engine answers a lookup that fails on an instance (`{{ object.connection }}`
of a model without `connection`) with the engine's `string_if_invalid` ("" by default, None in
`{% if %}`), whatever follows it; it does the same on a SQLAlchemy row without the name. So such
a read needs no Django instance, when the name is surely none of the instance's: the model is
built on `models.Model` alone (nothing inherited from a base of its own), its class body binds
no such name (field, method, property, constant), `models.Model` has no such attribute, no model
of SRC may add it (a `related_name`, a reverse one-to-one accessor: a model's name in lower
case, the `_set` accessors, `get_*`/`set_*` methods Django adds), and the generated row has no
such attribute either (a declarative base's `metadata`, `registry`). Models outside SRC pointing
at SRC's models are not known.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from codemods.engine.parsed import parse_ast_shared
from codemods.engine.run_cache import once_a_run

if TYPE_CHECKING:
    from codemods.django.template_reads import ModelFacts

# `models.Model`'s public attributes (Django 4.2 to 5.2) and its classes' exceptions
MODEL_ATTRIBUTES = frozenset(
    {
        "adelete", "arefresh_from_db", "asave", "check", "clean", "clean_fields",
        "date_error_message", "delete", "from_db", "full_clean", "get_constraints",
        "get_deferred_fields", "pk", "prepare_database_save", "refresh_from_db", "save",
        "save_base", "serializable_value", "unique_error_message", "validate_constraints",
        "validate_unique", "objects", "DoesNotExist", "MultipleObjectsReturned", "NotUpdated",
    }
)  # fmt: skip
ROW_ATTRIBUTES = frozenset({"metadata", "registry"})  # SQLAlchemy's DeclarativeBase
PLAIN_BASES = frozenset({"models.Model", "Model", "django.db.models.Model"})
RELATED_KEYWORDS = frozenset({"related_name", "related_query_name", "default_related_name"})
UNKNOWN = "%"  # a related name made from `%(class)s`: any name may be one


def bound_names(node: ast.ClassDef) -> set[str]:
    """Every name the class body binds: assignments, annotated names, functions, classes."""
    found: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.Assign):
            for target in item.targets:
                found |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(item, ast.AnnAssign | ast.AugAssign) and isinstance(item.target, ast.Name):
            found.add(item.target.id)
        elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(item.name)
        else:  # a statement binding names some other way (`if`, `for`, `import`): any of them
            for inner in ast.walk(item):
                if isinstance(inner, ast.Name):
                    found.add(inner.id)
                elif isinstance(inner, ast.Import | ast.ImportFrom):
                    found |= {alias.asname or alias.name for alias in inner.names}
                elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    found.add(inner.name)
    return found


def plain_model(node: ast.ClassDef) -> bool:
    """Whether the class is built on `models.Model` alone (no metaclass or other keyword)."""
    return (
        len(node.bases) == 1
        and ast.unparse(node.bases[0]) in PLAIN_BASES
        and not node.keywords
        and not node.decorator_list
    )


@once_a_run
def reverse_names(sources: list[str]) -> frozenset[str]:
    """What models of SRC may add to another model: every `related_name`/`related_query_name`
    (and `Meta.default_related_name`) and every model class name in lower case (a reverse
    one-to-one accessor); `UNKNOWN` when one is not a plain string."""
    found: set[str] = set()
    for source in sources:
        try:
            tree = parse_ast_shared(source)
        except SyntaxError:
            found.add(UNKNOWN)
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                found.add(node.name.lower())
            value = _related_value(node)
            if value is None:
                continue
            text = value.value if isinstance(value, ast.Constant) else None
            found.add(text if isinstance(text, str) and "%" not in text else UNKNOWN)
    return frozenset(found)


def _related_value(node: ast.AST) -> ast.expr | None:
    """The value of `related_name=...` (and its kin), or of `default_related_name = ...`."""
    if isinstance(node, ast.keyword) and node.arg in RELATED_KEYWORDS:
        return node.value
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id in RELATED_KEYWORDS for t in node.targets
    ):
        return node.value
    return None


def absent(facts: ModelFacts, name: str) -> bool:
    """Whether `name` is surely an attribute of neither the model's instances nor its rows."""
    return (
        facts.plain
        and name.isidentifier()
        and not name.startswith(("_", "get_", "set_"))
        and not name.endswith("_set")
        and name not in facts.defined
        and name not in facts.foreign
        and UNKNOWN not in facts.foreign
        and name not in MODEL_ATTRIBUTES | ROW_ATTRIBUTES
    )
