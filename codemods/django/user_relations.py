"""The user's one-to-one relations the runtime reads through SQLAlchemy (the runtime's
`user_relations`), read with `ast` from SRC's models modules:

    class UserProfile(models.Model):
        user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="st", ...)

gives {"st": UserRelation("st", "UserProfile", "user", ("user", "models.py"))}: a view or a
decorator kept on it reading `request.user.st` gets the generated `UserProfile` row, not a query
on Django's ORM. Only a `related_name` of a model of SRC counts (the accessor Django derives
without one is a name the code rarely spells; a model outside SRC has no generated twin)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from codemods.django.model_relations import USER_MODELS
from codemods.engine.parsed import parse_ast_shared

SKIPPED = ("migrations", "tests")


@dataclass(frozen=True)
class UserRelation:
    name: str  # the accessor on the user (`st`)
    model: str  # the related model's class (`UserProfile`)
    field: str  # its one-to-one field to the user (`user`: the `user_id` column)
    module: tuple[str, ...]  # its models module, as parts under SRC

    @property
    def key(self) -> str:
        return f"{self.field}_id"


def _relation(item: ast.stmt) -> tuple[str, str] | None:
    """(field, related name) of `field = models.OneToOneField(<the user model>, related_name=)`."""
    if not (isinstance(item, ast.Assign) and len(item.targets) == 1):
        return None
    target, call = item.targets[0], item.value
    if not (isinstance(target, ast.Name) and isinstance(call, ast.Call)):
        return None
    if ast.unparse(call.func).rsplit(".", 1)[-1] != "OneToOneField":
        return None
    given = (k.value for k in call.keywords if k.arg == "to")
    to = call.args[0] if call.args else next(given, None)
    written = to.value if isinstance(to, ast.Constant) else ast.unparse(to) if to else None
    if written not in USER_MODELS:
        return None
    related = next((k.value for k in call.keywords if k.arg == "related_name"), None)
    if not (isinstance(related, ast.Constant) and isinstance(related.value, str)):
        return None
    if not related.value.isidentifier():  # "+": no accessor
        return None
    return target.id, related.value


def read_user_relations(root: Path) -> dict[str, UserRelation]:
    """The user's relations to models of SRC at `root`, by accessor name (a name two models
    give is left out: the code cannot say which)."""
    found: dict[str, UserRelation] = {}
    ambiguous: set[str] = set()
    for path in sorted(root.rglob("models.py")):
        parts = path.relative_to(root).parts
        if any(part in SKIPPED for part in parts):
            continue
        try:
            tree = parse_ast_shared(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                relation = _relation(item)
                if relation is None:
                    continue
                field, name = relation
                if name in found:
                    ambiguous.add(name)
                found[name] = UserRelation(name, node.name, field, parts)
    return {name: relation for name, relation in found.items() if name not in ambiguous}
