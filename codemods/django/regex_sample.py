"""One string a path converter's regex matches, for the verification's URL of a route whose
parameter no database row and no stock sample gives (a project's own converter:
`(subscribe|update|unsubscribe)` -> `subscribe`). Read from the regex's parse tree (Python's own
`re` parser): the first branch, the first character of a set, the fewest repeats (one at least).
None for what it does not read (lookarounds, backreferences)."""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found,unused-ignore]
from re._constants import (  # type: ignore[import-not-found,unused-ignore]
    ANY,
    AT,
    BRANCH,
    CATEGORY,
    CATEGORY_DIGIT,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    RANGE,
    SUBPATTERN,
)
from typing import Any


class _Unread(Exception):
    pass


def regex_sample(regex: str) -> str | None:
    """A string `regex` fully matches, or None."""
    try:
        sample = _of(sre_parse.parse(regex))
    except (_Unread, re.error, RecursionError):
        return None
    return sample if re.fullmatch(regex, sample) else None


def _of(items: Any) -> str:
    return "".join(_item(op, value) for op, value in items)


def _item(op: Any, value: Any) -> str:
    if op is LITERAL:
        return chr(value)
    if op is ANY:
        return "a"
    if op is AT:  # ^, $, \b: no character
        return ""
    if op is IN:
        return _in(value)
    if op is BRANCH:
        return _of(value[1][0])
    if op is SUBPATTERN:
        return _of(value[-1])
    if op in (MAX_REPEAT, MIN_REPEAT):
        low, _, inner = value
        return _of(inner) * max(low, 1)
    raise _Unread(str(op))


def _in(choices: Any) -> str:
    for op, value in choices:
        if op is LITERAL:
            return chr(value)
        if op is RANGE:
            return chr(value[0])
        if op is CATEGORY:
            return "0" if value is CATEGORY_DIGIT else "a"
    raise _Unread("set")
