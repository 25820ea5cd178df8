"""django.utils.text.slugify, as the legacy view derives a slug from a title."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")


def slugify(value: str) -> str:
    """ASCII only, lower case, spaces and hyphens to one hyphen, other punctuation dropped."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return _SEPARATORS.sub("-", _NOT_SLUG.sub("", ascii_text.lower())).strip("-_")
