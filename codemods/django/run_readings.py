"""Readings of the legacy code made twice in a run with the same inputs, made once.

The analysis plans each module's function views (view_queries.py), then the queries rule plans
them again on the module it converts, with other arguments (its views, the functions that query)
but the same legacy function bodies: the rules before it leave those bodies as they are. A
reading of one body with inputs equal to an earlier one's (the models modules' relations,
managers and methods are read afresh by each caller: equal, not the same objects) is the earlier
reading; its caller gets a copy (`fresh`) to change as it likes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from codemods.engine.parsed import run_memo

T = TypeVar("T")


def same(first: object, second: object) -> bool:
    """Equal inputs: `==`, and the attributes a dict subclass keeps beside its items
    (ModelRelations' lookup names and file fields)."""
    if first is second:
        return True
    if type(first) is not type(second) or first != second:
        return False
    return getattr(first, "__dict__", None) == getattr(second, "__dict__", None)


def read_once(
    key: Hashable,
    anchor: object,
    inputs: tuple[object, ...],
    read: Callable[[], T],
    fresh: Callable[[T], T],
) -> T:
    """`read()`, or, within a run, a `fresh` copy of the reading made earlier for `key`, the same
    `anchor` (the node read, kept alive with the reading so its id is not reused) and inputs
    `same` as `inputs`."""
    memo = run_memo()
    if memo is None:
        return read()
    readings = memo.setdefault(("read_once", key), [])
    assert isinstance(readings, list)
    for earlier_anchor, earlier_inputs, reading in readings:
        if earlier_anchor is anchor and all(map(same, earlier_inputs, inputs)):
            return fresh(reading)
    reading = read()
    readings.append((anchor, inputs, reading))
    return fresh(reading)
