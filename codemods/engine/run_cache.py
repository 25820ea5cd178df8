"""Readings of the legacy sources that many rules and modules ask for, made once a run.

Django's readers of the models modules (relations, lookup names, queryset methods, related
names) take the list of sources and are asked again by every view, form and rule that needs
them: on django-spirit some 150 times each within one run. Within a run (`parsed.shared_for_run`)
`once_a_run` keeps each answer for equal sources (the same string objects: hashing them is
cached); outside a run it computes every time. The answers are read, never changed, by their
callers. `kept_in_run` does the same for a function of several arguments whose callers change
what it answers: each gets its own copy.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Hashable, Sequence
from typing import ParamSpec, TypeVar

from codemods.engine.parsed import run_memo

T = TypeVar("T")
P = ParamSpec("P")


def once_a_run(read: Callable[[list[str]], T]) -> Callable[[Sequence[str]], T]:
    """`read(sources)`, kept for the rest of the run for equal `sources` (`kept_in_run`, the
    answer shared: its callers only read it)."""

    @kept_in_run(_shared)
    @functools.wraps(read)
    def kept(sources: Sequence[str]) -> T:
        return read(list(sources))

    return kept


def _shared(answer: T) -> T:
    return answer


def kept_in_run(fresh: Callable[[T], T]) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """`read(*args)`, kept for the rest of the run for arguments equal to an earlier call's (an
    `ast` node by its dump, positions included; a dict by its items; a list as a tuple), each
    caller getting `fresh(answer)`, its own to change; outside a run, computed every time."""

    def decorate(read: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(read)
        def kept(*args: P.args, **kwargs: P.kwargs) -> T:
            memo = run_memo()
            if memo is None:
                return read(*args, **kwargs)
            key = (kept, tuple(map(_hashable, args)), tuple(sorted(kwargs.items())))
            if key not in memo:
                memo[key] = read(*args, **kwargs)
            return fresh(memo[key])  # type: ignore[arg-type]

        return kept

    return decorate


def _hashable(value: object) -> Hashable:
    if isinstance(value, ast.AST):
        return ast.dump(value, include_attributes=True)
    if isinstance(value, dict):
        return tuple(value.items())
    if isinstance(value, list | tuple):
        return tuple(value)
    assert isinstance(value, Hashable)
    return value
