"""Readings of the legacy sources that many rules and modules ask for, made once a run.

Django's readers of the models modules (relations, lookup names, queryset methods, related
names) take the list of sources and are asked again by every view, form and rule that needs
them: on django-spirit some 150 times each within one run. Within a run (`parsed.shared_for_run`)
`once_a_run` keeps each answer for equal sources (the same string objects: hashing them is
cached); outside a run it computes every time. The answers are read, never changed, by their
callers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TypeVar

from codemods.engine.parsed import run_memo

T = TypeVar("T")


def once_a_run(read: Callable[[list[str]], T]) -> Callable[[Sequence[str]], T]:
    """`read(sources)`, kept for the rest of the run for equal `sources`."""

    @functools.wraps(read)
    def kept(sources: Sequence[str]) -> T:
        memo = run_memo()
        if memo is None:
            return read(list(sources))
        key = (kept, tuple(sources))
        if key not in memo:
            memo[key] = read(list(sources))
        return memo[key]  # type: ignore[return-value]

    return kept
