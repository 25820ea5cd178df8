"""A model's `Meta.ordering` as the `order_by` of a relationship to it: Django's related
managers (`post.tags.all()`, `post.comments.all()`) read the related rows in that ordering.

    class Tag(models.Model):               tags = relationship(
        class Meta:                  ->        "Tag", ..., order_by="[Tag.name, Tag.id.desc()]"
            ordering = ["name", "-id"]     )

Only names of the model's own columns are written (`pk` is its primary key); an ordering by a
relation (Django follows the related model's own ordering), across relations (`author__name`),
random (`?`) or by expression is not, and the relationship keeps that reason.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import string_value


class NotOrdered(Exception):
    """The ordering cannot be a relationship's `order_by`; the message says why."""


def order_by(
    model: str, ordering: cst.BaseExpression | None, columns: set[str], pk_name: str
) -> str | None:
    """`order_by` text for the relationships to `model` (None: Django orders them by nothing)."""
    if ordering is None:
        return None
    if isinstance(ordering, cst.SimpleString):
        elements: list[cst.BaseExpression] = [ordering]
    elif isinstance(ordering, cst.List | cst.Tuple):
        elements = [element.value for element in ordering.elements]
    else:
        raise NotOrdered(f"{model}'s Meta.ordering is not a literal list")
    clauses = []
    for element in elements:
        name = string_value(element)
        if name is None:
            raise NotOrdered(f"{model}'s Meta.ordering holds an expression")
        field = name.lstrip("-")
        field = pk_name if field == "pk" else field
        if field not in columns:
            raise NotOrdered(f"{model}'s Meta.ordering {name!r} is not a column of {model}")
        clauses.append(f"{model}.{field}.desc()" if name.startswith("-") else f"{model}.{field}")
    return f"[{', '.join(clauses)}]" if clauses else None
