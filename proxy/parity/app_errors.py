"""What the apps write to stderr while parity runs (tracebacks logged by Flask, Django or the
migrated runtime), kept out of the terminal and summarised per route instead: one line per kind
of exception, with how many times it was logged.

Cases run one at a time, so whatever reaches `sys.stderr` while a case runs (from any thread:
the legacy app runs in the bridge's threads) belongs to that case's route.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from collections.abc import Iterator

MAX_LINE = 200


def summarise(text: str) -> list[str]:
    """One line per traceback (its exception line); the first line of other output."""
    lines = text.splitlines()
    found: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index].startswith("Traceback (most recent call last):"):
            index += 1
            while index < len(lines) and (
                lines[index].startswith((" ", "\t")) or not lines[index].strip()
            ):
                index += 1
            if index < len(lines):
                found.append(lines[index][:MAX_LINE])
        index += 1
    if not found and text.strip():
        found.append(next(line for line in lines if line.strip())[:MAX_LINE])
    return found


class AppErrors:
    """Per route: Counter of exception lines the apps logged while its cases ran."""

    def __init__(self) -> None:
        self.by_route: dict[str, Counter[str]] = {}

    @contextlib.contextmanager
    def capture(self, route: str) -> Iterator[None]:
        buffer = io.StringIO()
        with contextlib.redirect_stderr(buffer):
            yield
        for line in summarise(buffer.getvalue()):
            self.by_route.setdefault(route, Counter())[line] += 1

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {route: dict(counts.most_common()) for route, counts in self.by_route.items()}

    def __bool__(self) -> bool:
        return bool(self.by_route)
