"""Whether a class of SRC reaches Django's ORM by its own code, read with `ast`: what its body
(class attributes and methods) does, as orm_use.py reads a function view. Used for class-based
views and for the forms they name (`form_class`).

A class reaches the ORM when its body names a model of SRC (`model = Post`,
`Post.objects.filter(...)`), a manager (`.objects`), `get_object_or_404`/`get_list_or_404`/
`get_user_model`, a related manager of the user (`self.request.user.posts`), a model-backed form
field (`ModelChoiceField`, `ModelMultipleChoiceField`), or calls a function of its module that
does (`reaching`, from orm_use.orm_views); not in an empty queryset (`X.objects.none()`).
"""

from __future__ import annotations

import ast

from codemods.django.orm_use import ORM_CALLS, USER_FIELDS, empty_querysets

MODEL_FORM_FIELDS = frozenset({"ModelChoiceField", "ModelMultipleChoiceField"})


def class_orm_uses(
    node: ast.ClassDef, models: frozenset[str], reaching: set[str]
) -> tuple[str, ...]:
    """What in the class's body reaches Django's ORM, each as written (empty: nothing)."""
    found: list[str] = []

    def add(what: str) -> None:
        if what not in found:
            found.append(what)

    empty = empty_querysets(node)  # `get_user_model().objects.none()`: no query
    for statement in node.body:
        for item in ast.walk(statement):
            if id(item) in empty:
                continue
            if isinstance(item, ast.Name) and item.id in models | ORM_CALLS | MODEL_FORM_FIELDS:
                add(item.id)
            elif isinstance(item, ast.Attribute):
                if (
                    item.attr == "objects"
                    or item.attr in MODEL_FORM_FIELDS
                    or (
                        isinstance(item.value, ast.Attribute)
                        and item.value.attr == "user"
                        and item.attr not in USER_FIELDS
                    )
                ):
                    add(ast.unparse(item))
            elif (
                isinstance(item, ast.Call)
                and isinstance(item.func, ast.Name)
                and item.func.id in reaching
            ):
                add(f"{item.func.id}()")
    return tuple(found)


def class_attribute(node: ast.ClassDef, name: str) -> ast.expr | None:
    """The value assigned to `name` in the class body (the last assignment), or None."""
    value: ast.expr | None = None
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets)
        ) or (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == name
            and statement.value is not None
        ):
            value = statement.value
    return value


def _is_type_checking(test: ast.expr) -> bool:
    return ast.unparse(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def runtime_aliases(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level names bound to another class name as the module runs
    (`_FormViewBase = FormView`, in the `else` of `if TYPE_CHECKING:` too): classes use them
    as bases. A name bound to something else, or twice, is left out."""
    found: dict[str, ast.expr] = {}
    seen: set[str] = set()
    statements: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            statements += node.orelse  # what runs; the `if` branch is for type checkers
        else:
            statements.append(node)
    for node in statements:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        if target.id in seen or not isinstance(node.value, ast.Name | ast.Attribute):
            found.pop(target.id, None)
        else:
            found[target.id] = node.value
        seen.add(target.id)
    return found
