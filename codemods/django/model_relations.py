"""The relation fields of the legacy models, read with `ast` from their source: which of them
the models rule gave a SQLAlchemy `relationship` (a related model it generated, or
django.contrib.auth's User, which it generates on `auth_user`) and which only a `<name>_id`
column (models outside SRC). The queries rule compares the latter by key and refuses to traverse
or load them."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from codemods.django.shared_base import is_shared

RELATION_FIELDS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
USER_MODELS = frozenset({"settings.AUTH_USER_MODEL", "auth.User", "User"})


@dataclass(frozen=True)
class Relation:
    kind: str  # ForeignKey, OneToOneField or ManyToManyField
    mapped: bool  # the generated model has a relationship for it
    to_user: bool = False  # to the user model (django.contrib.auth's)
    related_name: str | None = None
    target: str | None = None  # the related model's class in the generated module
    through: bool = False  # a many-to-many field with an explicit `through=` model

    @property
    def to_one(self) -> bool:
        return self.kind != "ManyToManyField"


Relations = dict[str, dict[str, Relation]]  # model class -> field -> relation


def _target(call: ast.Call) -> str | None:
    node = (
        call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "to"), None)
    )
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node) if node is not None else None


def read_relations(sources: list[str]) -> Relations:
    classes: dict[str, ast.ClassDef] = {}
    neighbours: dict[str, set[str]] = {}  # class -> the classes of its own models module
    imported: dict[str, set[str]] = {}  # class -> what its module imports from a models module
    defined: dict[str, int] = {}  # class name -> in how many models modules
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        found = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        classes.update(found)
        from_models = _from_models(tree)
        for class_name in found:
            neighbours[class_name] = set(found)
            imported[class_name] = from_models
            defined[class_name] = defined.get(class_name, 0) + 1
    shared = is_shared(sources)  # one registry: a model of another module is mapped too
    relations: Relations = {}
    for name, node in classes.items():
        for item in node.body:
            if not (isinstance(item, ast.Assign) and isinstance(item.value, ast.Call)):
                continue
            kind = ast.unparse(item.value.func).rsplit(".", 1)[-1]
            if kind not in RELATION_FIELDS or len(item.targets) != 1:
                continue
            target = _target(item.value)
            field = item.targets[0]
            if not isinstance(field, ast.Name) or target is None:
                continue
            local = target.rsplit(".", 1)[-1]
            to_user = target in USER_MODELS
            # the models rule maps a relation to a class of the same module, and, when the
            # modules share one base, to a model of another written "app_label.Model" or
            # imported from the models module defining it (the one class of that name)
            written = "." in target or (target in imported[name] and defined.get(target) == 1)
            elsewhere = shared and written and local in classes and not to_user
            mapped = to_user or local in neighbours[name] or target == "self" or elsewhere
            model = "User" if to_user else (name if target == "self" else local)
            related = next((k.value for k in item.value.keywords if k.arg == "related_name"), None)
            related_name = related.value if isinstance(related, ast.Constant) else None
            related_name = related_name if isinstance(related_name, str) else None
            through = any(k.arg == "through" for k in item.value.keywords)
            relations.setdefault(name, {})[field.id] = Relation(
                kind, mapped, to_user, related_name, model if mapped else None, through
            )
    return relations


def _from_models(tree: ast.Module) -> set[str]:
    """The names a module imports, unrenamed, from a `models` module not Django's own (`from
    explorer.ee.db_connections.models import DatabaseConnection`)."""
    return {
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").rsplit(".", 1)[-1] == "models"
        and not (node.module or "").startswith("django.")
        for alias in node.names
        if alias.asname is None
    }


def user_sets(relations: Relations) -> dict[str, tuple[str, str]]:
    """The user's related managers (`user.posts`): related name -> (model, foreign key field),
    for the foreign keys to the user model that name one."""
    return {
        relation.related_name: (model, name)
        for model, fields in relations.items()
        for name, relation in fields.items()
        if relation.to_user and relation.kind != "ManyToManyField" and relation.related_name
    }
