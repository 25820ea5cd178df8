"""Which models module of SRC defines each model class. A query reaches models through
relations (`related(tables.Topic.category, related(tables.Category.parent, ...))` names
`Category`) that the view never imports; each `tables.<Model>` must come from its own
generated module."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from codemods.django.auth_group import GROUP_CLASS
from codemods.django.model_relations import read_relations
from codemods.django.shared_base import SHARED_MODULE, is_shared
from codemods.engine.ast_names import top_level_classes

TABLES_NAME = re.compile(r"\btables\.(\w+)")
AUTH_USER = "User"  # django.contrib.auth's, which the models rule generates


def model_modules(root: Path | None, label_models: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Model class -> the SRC-relative dotted module defining it (`Category` ->
    `category.models`), for the class names exactly one models module defines; the auth `User`
    -> `models_base` when the models modules share one base (shared_base.py), else auth's
    `AuthGroup` -> the one models module whose output the models rule writes it in."""
    if root is None:
        return {}
    return dict(_read(root, tuple(sorted(set(label_models.values())))))


@lru_cache(maxsize=8)
def _read(root: Path, modules: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, str], ...]:
    found: dict[str, set[str]] = {}
    sources = []
    for parts in modules:
        try:
            source = root.joinpath(*parts).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        sources.append(source)
        dotted = ".".join([*parts[:-1], parts[-1].removesuffix(".py")])
        for node, _ in top_level_classes([source]):
            found.setdefault(node.name, set()).add(dotted)
        if _generates_group(source):
            found.setdefault(GROUP_CLASS, set()).add(dotted)
    if is_shared(sources):
        found.pop(GROUP_CLASS, None)  # the models keep the key column only
        if AUTH_USER not in found:  # the shared base's module holds it
            found[AUTH_USER] = {SHARED_MODULE.removesuffix(".py")}
    return tuple(sorted((name, next(iter(m))) for name, m in found.items() if len(m) == 1))


def _generates_group(source: str) -> bool:
    """The models rule writes django.contrib.auth's Group (AuthGroup) into this module's output:
    a relation of it leads to Group (auth_group.py)."""
    relations = read_relations([source])
    return any(r.target == GROUP_CLASS for fields in relations.values() for r in fields.values())


def relative_module(owner: str, known: Iterable[str]) -> str:
    """`spirit.topic.models` -> `topic.models` (SRC is `spirit`): the longest of the `known`
    SRC-relative modules the dotted name is or ends with; else the name itself."""
    matches = [k for k in known if owner == k or owner.endswith("." + k)]
    return max(matches, key=len) if matches else owner


def tables_names(code: str) -> set[str]:
    """The models a translation names as `tables.<Model>`."""
    return set(TABLES_NAME.findall(code))


def retarget(code: str, aliases: dict[str, str]) -> str:
    """`tables.Category` -> `category_tables.Category` for the models of `aliases`."""
    return TABLES_NAME.sub(lambda m: f"{aliases.get(m[1], 'tables')}.{m[1]}", code)


def user_model_names(tree: ast.Module) -> frozenset[str]:
    """`User = get_user_model()` at the top of a module: `User` is django.contrib.auth's model,
    which the models rule generates as `User` (another name for it is not taken)."""
    return frozenset(
        AUTH_USER
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [ast.unparse(t) for t in node.targets] == [AUTH_USER]
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).rsplit(".", 1)[-1] == "get_user_model"
        and not node.value.args
        and not node.value.keywords
    )
