"""django.contrib.auth's `Group` for the generated models: a foreign key of SRC to it
(`models.ForeignKey(Group, ...)`, `"auth.Group"`) gets the class `AuthGroup` on Django's
`auth_group` table, so `task_list.group` is a row, and `request.user.groups` (the user's groups,
through Django's `auth_user_groups`) is a statement on it (`in_user_groups`, runtime queries).

The class is named `AuthGroup`, not `Group`: the models module usually imports Django's `Group`
under that name, and its other code may still use it. A project whose models modules share one
base (shared_base.py) keeps the key column only, as before.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

import libcst as cst

from codemods.django.contrib_models import imports_model, is_model, module_imports_model

GROUP_CLASS = "AuthGroup"
GROUP_TABLE = "auth_group"
GROUP_NAMES = frozenset({"Group", "auth.Group"})
AUTH_GROUP_IMPORTS: tuple[tuple[str, str], ...] = (
    ("sqlalchemy", "Integer"),
    ("sqlalchemy", "String"),
    ("sqlalchemy.orm", "Mapped"),
    ("sqlalchemy.orm", "mapped_column"),
    ("codemods.runtime.django.rows", "DjangoEquality"),
)
USER_GROUPS = "groups"  # the user's related manager of its groups
AUTH_MODELS = "django.contrib.auth.models"


def imports_group(tree: ast.Module) -> bool:
    """The module binds `Group` to django.contrib.auth's (`from django.contrib.auth.models
    import Group`)."""
    return imports_model(tree, AUTH_MODELS, "Group")


def module_imports_group(module: cst.Module) -> bool:
    """`imports_group` of a module read with libcst (the models rule's)."""
    return module_imports_model(module, AUTH_MODELS, "Group")


def is_auth_group(target: str | None, group_imported: bool, own_classes: set[str]) -> bool:
    """A relation's target written as django.contrib.auth's Group, in a module that does not
    define a `Group` of its own."""
    return is_model(target, "auth.Group", "Group", group_imported, own_classes)


def groups_generated(relations: Mapping[str, Mapping[str, object]]) -> bool:
    """Some relation of the generated models is to `AuthGroup`."""
    return any(
        getattr(relation, "target", None) == GROUP_CLASS
        for fields in relations.values()
        for relation in fields.values()
    )


def auth_group_class() -> str:
    """The code of django.contrib.auth's Group on auth_group: the columns Django's migrations
    create."""
    return (
        f"class {GROUP_CLASS}(DjangoEquality, Base):\n"
        '    """django.contrib.auth\'s Group, on the table Django created."""\n\n'
        f'    __tablename__ = "{GROUP_TABLE}"\n\n'
        "    id: Mapped[int] = mapped_column(Integer, primary_key=True)\n"
        "    name: Mapped[str] = mapped_column(String(150), unique=True)\n\n"
        "    @property\n"
        "    def pk(self):\n"
        '        """The primary key, as Django\'s `group.pk`."""\n'
        "        return self.id\n\n"
        "    def __str__(self):\n"
        "        return self.name\n"
    )
