"""The relation fields of the legacy models, read with `ast` from their source: which of them
the models rule gave a SQLAlchemy `relationship` (a related model it generated, or
django.contrib.auth's User, Group or django.contrib.sites' Site, which it generates on their
tables) and which only a `<name>_id`
column (models outside SRC). The queries rule compares the latter by key and refuses to traverse
or load them."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from codemods.django.auth_group import GROUP_CLASS, imports_group, is_auth_group
from codemods.django.lookup_names import LookupNames, read_lookup_names
from codemods.django.shared_base import is_shared
from codemods.django.sites_site import SITE_CLASS, imports_site, is_sites_site
from codemods.engine.parsed import parse_ast_shared
from codemods.engine.run_cache import once_a_run

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
    cascade: bool = False  # on_delete=CASCADE
    # Django's default reverse accessor, `<model>_set`: a foreign key with no related_name, of a
    # model whose Meta gives no default_related_name
    default_reverse: bool = False
    set_null: bool = False  # on_delete=SET_NULL

    @property
    def to_one(self) -> bool:
        return self.kind != "ManyToManyField"


Relations = dict[str, dict[str, Relation]]  # model class -> field -> relation


class ModelRelations(dict[str, dict[str, Relation]]):
    """What `read_relations` answers: the relations, and the names Django's lookups accept on
    each model known in full (lookup_names.py), for the queries to refuse any other."""

    def __init__(self, lookup_names: LookupNames | None = None) -> None:
        super().__init__()
        self.lookup_names: LookupNames = lookup_names or {}
        # model class -> its FileField/ImageField fields: a row holds the stored name, where
        # Django's instance holds a FieldFile (`.path`, `.url`, `.size`)
        self.file_fields: dict[str, frozenset[str]] = {}


FILE_FIELDS = frozenset({"FileField", "ImageField"})


def file_fields_of(relations: Relations, model: str | None) -> frozenset[str]:
    """The file fields of `model`; of every model when it is not known (None)."""
    if not isinstance(relations, ModelRelations):
        return frozenset()
    if model is not None:
        return relations.file_fields.get(model, frozenset())
    return frozenset().union(*relations.file_fields.values())


def lookup_names_of(relations: Relations, model: str) -> frozenset[str] | None:
    """The names lookups on `model` accept, or None when they are not known."""
    if isinstance(relations, ModelRelations):
        return relations.lookup_names.get(model)
    return None


def _target(call: ast.Call) -> str | None:
    node = (
        call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "to"), None)
    )
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node) if node is not None else None


@once_a_run
def read_relations(sources: list[str]) -> Relations:
    """The relations of the models of `sources` (read once a run: no caller changes them)."""
    classes: dict[str, ast.ClassDef] = {}
    neighbours: dict[str, set[str]] = {}  # class -> the classes of its own models module
    group_imported: dict[str, bool] = {}  # class -> its module imports django's Group
    site_imported: dict[str, bool] = {}  # class -> its module imports django's Site
    imported: dict[str, set[str]] = {}  # class -> what its module imports from a models module
    defined: dict[str, int] = {}  # class name -> in how many models modules
    for source in sources:
        try:
            tree = parse_ast_shared(source)
        except SyntaxError:
            continue
        found = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        classes.update(found)
        from_models = _from_models(tree)
        for class_name in found:
            neighbours[class_name] = set(found)
            group_imported[class_name] = imports_group(tree)
            site_imported[class_name] = imports_site(tree)
            imported[class_name] = from_models
            defined[class_name] = defined.get(class_name, 0) + 1
    shared = is_shared(sources)  # one registry: a model of another module is mapped too
    relations = ModelRelations(read_lookup_names(sources))
    for name, node in classes.items():
        files = frozenset(
            target.id
            for item in node.body
            if isinstance(item, ast.Assign) and isinstance(item.value, ast.Call)
            and ast.unparse(item.value.func).rsplit(".", 1)[-1] in FILE_FIELDS
            for target in item.targets
            if isinstance(target, ast.Name)
        )  # fmt: skip
        if files:
            relations.file_fields[name] = files
        for item in node.body:
            if not (isinstance(item, ast.Assign) and isinstance(item.value, ast.Call)):
                continue
            func = item.value.func
            func = func.value if isinstance(func, ast.Subscript) else func  # ForeignKey['User']
            kind = ast.unparse(func).rsplit(".", 1)[-1]
            if kind not in RELATION_FIELDS or len(item.targets) != 1:
                continue
            target = _target(item.value)
            field = item.targets[0]
            if not isinstance(field, ast.Name) or target is None:
                continue
            local = target.rsplit(".", 1)[-1]
            to_user = target in USER_MODELS
            to_group = not shared and is_auth_group(target, group_imported[name], neighbours[name])
            to_site = not shared and is_sites_site(target, site_imported[name], neighbours[name])
            # the models rule maps a relation to a class of the same module, and, when the
            # modules share one base, to a model of another written "app_label.Model" or
            # imported from the models module defining it (the one class of that name)
            written = "." in target or (target in imported[name] and defined.get(target) == 1)
            elsewhere = shared and written and local in classes and not to_user
            mapped = (
                to_user
                or to_group
                or to_site
                or local in neighbours[name]
                or target == "self"
                or elsewhere
            )
            model = "User" if to_user else (name if target == "self" else local)
            model = GROUP_CLASS if to_group else SITE_CLASS if to_site else model
            related = next((k.value for k in item.value.keywords if k.arg == "related_name"), None)
            related_name = related.value if isinstance(related, ast.Constant) else None
            related_name = related_name if isinstance(related_name, str) else None
            through = any(k.arg == "through" for k in item.value.keywords)
            on_delete = next((k.value for k in item.value.keywords if k.arg == "on_delete"), None)
            cascade = on_delete is not None and ast.unparse(on_delete).endswith("CASCADE")
            default_reverse = (
                kind == "ForeignKey" and related is None and not _default_related_name(node)
            )
            set_null = on_delete is not None and ast.unparse(on_delete).endswith("SET_NULL")
            relations.setdefault(name, {})[field.id] = Relation(
                kind,
                mapped,
                to_user,
                related_name,
                model if mapped else None,
                through,
                cascade,
                default_reverse=default_reverse,
                set_null=set_null,
            )
    return relations


def _default_related_name(model: ast.ClassDef) -> bool:
    """The model's Meta names its relations' reverse accessors (`default_related_name`), or
    is abstract (each subclass gets its own)."""
    for item in model.body:
        if isinstance(item, ast.ClassDef) and item.name == "Meta":
            names = {
                t.id for s in item.body if isinstance(s, ast.Assign)
                for t in s.targets if isinstance(t, ast.Name)
            }  # fmt: skip
            return bool(names & {"default_related_name", "abstract"})
    return False


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


def user_rows(relations: Relations) -> dict[str, tuple[str, str]]:
    """The user's one-to-one rows (`user.st`, a profile): related name -> (model, the
    OneToOneField), for the one-to-ones to the user model that name one."""
    return {
        related: found
        for related, found in user_sets(relations).items()
        if relations[found[0]][found[1]].kind == "OneToOneField"
    }


def deletion_problems(relations: Relations, model: str, backrefs: bool = False) -> list[str]:
    """Why deleting a row of `model` through SQLAlchemy would not delete what Django's
    `delete()` deletes: a foreign key pointing at it (Django applies its `on_delete`; the
    generated relationship cascades only where a related_name gave it a backref: with
    `backrefs`, such a key with on_delete=CASCADE is no problem), or a many-to-many field to it
    whose links the generated model does not delete (no reverse accessor: a `related_name`
    ending in `+`; an explicit `through=` model, read only)."""
    problems = []
    for owner, fields in relations.items():
        for name, relation in fields.items():
            if relation.target != model or (owner == model and relation.kind == "ManyToManyField"):
                continue
            related = relation.related_name or ""
            if relation.kind == "ManyToManyField":
                kept = relation.through or related.endswith("+") or not relation.mapped
            else:
                cascades = backrefs and relation.cascade and related not in ("", "+")
                kept = not cascades
            if kept:
                problems.append(
                    f"{owner}.{name} points at {model}: deleting a row through SQLAlchemy does "
                    "not do what Django's on_delete does"
                )
    return problems


def walk_deletion(
    relations: Relations,
    model: str,
    problems: list[str],
    visit: Callable[[str, str, Relation, str], bool],
) -> None:
    """What deleting a row of `model` reaches, breadth first: `visit(owner, name, relation,
    target)` for each foreign key `owner.name` pointing at `model`, or at an owner `visit`
    returned True for (followed once each); a many-to-many field pointing there whose links the
    generated models do not delete is a problem, added to `problems`."""
    pending, seen = [model], {model}
    while pending:
        target = pending.pop(0)
        for owner, fields in relations.items():
            for name, relation in fields.items():
                if relation.target != target or (
                    owner == target and relation.kind == "ManyToManyField"
                ):
                    continue
                if relation.kind == "ManyToManyField":
                    related = relation.related_name or ""
                    if relation.through or related.endswith("+") or not relation.mapped:
                        problems.append(
                            f"{owner}.{name} points at {target}: its links are not deleted "
                            "with the row through SQLAlchemy"
                        )
                    continue
                if visit(owner, name, relation, target) and owner not in seen:
                    seen.add(owner)
                    pending.append(owner)


def cascade_plan(relations: Relations, model: str) -> tuple[list[str], list[str]]:
    """How a converted view deletes a row of `model` as Django's `delete()` does: (the problems
    keeping it on the ORM, the keys whose rows the runtime's `delete(..., cascade=[...])` deletes
    first: `Comment.task`, then theirs, transitively). A key pointing at the model with
    on_delete=CASCADE is deleted by the runtime, or by its backref's cascade when it has a
    `related_name` (not listed); any other `on_delete` (SET_NULL, PROTECT, ...) and a
    many-to-many field whose links the generated models do not delete are problems."""
    problems: list[str] = []
    keys: list[str] = []

    def visit(owner: str, name: str, relation: Relation, target: str) -> bool:
        if not (relation.cascade and relation.mapped):
            problems.append(
                f"{owner}.{name} points at {target}: deleting a row through SQLAlchemy "
                "does not do what Django's on_delete does"
            )
            return False
        if (relation.related_name or "+") == "+":  # no backref cascading it
            keys.append(f"{owner}.{name}")
        return True

    walk_deletion(relations, model, problems, visit)
    return problems, keys
