"""A file field read on a converted view's row, as Django's instance reads it. Permanent.

A row's FileField/ImageField column holds the stored name (a string); Django's instance holds a
FieldFile of it, whose `.path`, `.url` and `.size` ask the field's storage. The codemod writes
`attachment.file.path` as `field_file(Attachment, "file", attachment.file).path`: Django's own
FieldFile (the field's `attr_class`) of the legacy model's field and the row's name.
"""

from __future__ import annotations

from typing import Any


def field_file(model: type[Any], name: str, stored: str | None) -> Any:
    """Django's FieldFile of `model`'s file field `name` holding the stored name `stored`."""
    field = model._meta.get_field(name)
    return field.attr_class(None, field, stored)
