"""One declarative base for every generated models module of a project with more than one: its
models then share a registry and a MetaData, so a foreign key to a model of another models module
is a `ForeignKey` + `relationship`, and django.contrib.auth's User is generated once, on
`auth_user`, with every module's reverse accessors (two classes on one table would conflict)."""

from __future__ import annotations

import ast
from pathlib import Path

from codemods.django.tables.models import AUTH_USER_IMPORTS, auth_user_class
from codemods.engine.parsed import parse_ast_shared

SHARED_MODULE = "models_base.py"  # at the output's root
MODEL_BASES = frozenset({"Model", "models.Model", "django.db.models.Model"})


def has_models(source: str) -> bool:
    try:
        tree = parse_ast_shared(source)
    except SyntaxError:
        return False
    return any(
        isinstance(node, ast.ClassDef) and any(ast.unparse(b) in MODEL_BASES for b in node.bases)
        for node in tree.body
    )


def is_shared(models_sources: list[str]) -> bool:
    """Whether the project's models modules share one generated base (more than one holds
    models)."""
    return sum(has_models(source) for source in models_sources) > 1


def models_modules(src: Path) -> list[tuple[str, ...]]:
    """The models modules of `src` holding models, as path parts under it."""
    found = []
    for path in sorted(src.rglob("models.py")):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if has_models(source):
            found.append(path.relative_to(src).parts)
    return found


def module_alias(parts: tuple[str, ...]) -> str:
    """The name a models module imports another models module under: `spirit/topic/models.py`
    -> `spirit_topic_models`."""
    return "_".join([*parts[:-1], parts[-1].removesuffix(".py")])


def shared_base_code() -> str:
    """The shared module: Base, and User on auth_user (mapped only when imported)."""
    imports: dict[str, list[str]] = {}
    for module, name in AUTH_USER_IMPORTS:
        imports.setdefault(module, []).append(name)
    imports.setdefault("sqlalchemy.orm", []).append("DeclarativeBase")
    lines = ["from datetime import UTC, datetime", ""]
    lines += [
        f"from {module} import {', '.join(sorted(names))}" for module, names in imports.items()
    ]
    return (
        '"""The declarative base shared by the models migrated from Django (one registry: the\n'
        "models of different models modules relate to each other), and django.contrib.auth's\n"
        'User."""\n\n' + "\n".join(lines) + "\n\n\n"
        "class Base(DeclarativeBase):\n"
        '    """The declarative base of the models migrated from Django."""\n\n\n'
        "def _now() -> datetime:\n"
        '    """The current time, aware, as Django stores it under USE_TZ."""\n'
        "    return datetime.now(UTC)\n\n\n" + auth_user_class("User", "datetime")
    )
