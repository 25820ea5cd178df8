"""A generated model's to-many relationships (a many-to-many field, a reverse foreign key given
a `related_name`) read as Django's related managers read, for the templates and the model
methods kept from Django. Permanent while the templates stay on Django's engine.

    tags: Mapped[list["Tag"]] = relationship(
        "Tag", secondary="blog_post_tags", collection_class=RelatedList, order_by="[Tag.name]"
    )

`{% for tag in post.tags.all %}`, `{{ post.tags.count }}`, `{% if post.tags.exists %}` and
`self.tags.all()` answer as on Django's instances: the related rows in the related model's
`Meta.ordering` (the relationship's `order_by`), their number, whether there is one. The
collection is SQLAlchemy's own list otherwise (appending links a row, as `add()` does).
"""

from __future__ import annotations

from typing import Any


class RelatedList(list[Any]):
    """The rows of a to-many relationship, with the reads of Django's related manager."""

    def all(self) -> RelatedList:
        """`manager.all()`: the rows themselves (loaded in the relationship's order)."""
        return self

    def count(self, *value: Any) -> int:
        """`manager.count()`: how many rows (`list.count(value)` when given a value)."""
        return list.count(self, *value) if value else len(self)

    def exists(self) -> bool:
        """`manager.exists()`: whether there is a row."""
        return bool(self)
