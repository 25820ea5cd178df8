"""Readings of the legacy sources kept for the rest of a run (engine/run_cache.py)."""

from __future__ import annotations

from codemods.engine.parsed import shared_for_run
from codemods.engine.run_cache import once_a_run

reads: list[list[str]] = []


@once_a_run
def read_names(sources: list[str]) -> frozenset[str]:
    reads.append(sources)
    return frozenset(sources)


def test_within_a_run_equal_sources_are_read_once() -> None:
    reads.clear()
    with shared_for_run():
        first = read_names(["a = 1", "b = 2"])
        again = read_names(["a = 1", "b = 2"])
    assert again is first and len(reads) == 1


def test_other_sources_are_read_again() -> None:
    reads.clear()
    with shared_for_run():
        read_names(["a = 1"])
        read_names(["b = 2"])
    assert len(reads) == 2


def test_each_run_and_each_call_outside_a_run_reads_anew() -> None:
    reads.clear()
    for _ in range(2):
        with shared_for_run():
            read_names(["a = 1"])
    read_names(["a = 1"])
    read_names(["a = 1"])
    assert len(reads) == 4
