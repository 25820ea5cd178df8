"""Timeouts that all last the same time, for one event loop, with one asyncio timer between them.

    line = DeadlineLine(loop, 30.0, settled, expire)
    line.add(a, b)   # expire(a, b, due) once `due` (30 s on) has come, unless settled(a, b)

A timer per request, armed and then (nearly always) cancelled, is the larger part of what a
short request costs the event loop: asyncio keeps cancelled timers in its heap until they would
have run, and orders its heap by calling a Python method. With one delay, deadlines come in the
order they were set, so a queue does: adding is an append, and settled entries leave the queue
from its head in batches, every TRIM_ABOVE adds or so (requests mostly end in the order they
began); checking the head on every add cost a request more than the timer it replaced.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any

# asyncio runs a timer up to its clock resolution early
TIMER_SLACK = 0.001
# The queue is trimmed (settled entries dropped from its head) once it holds this many; when more
# than half stay (settled ones behind a long one), every settled entry is dropped, and the next
# trim waits until the queue has doubled.
TRIM_ABOVE = 64


class DeadlineLine:
    __slots__ = ("delay", "entries", "expire", "loop", "settled", "timer", "timer_at", "trim_at")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        delay: float,
        settled: Callable[[Any, Any], bool],
        expire: Callable[[Any, Any, float], None],
    ) -> None:
        self.loop = loop
        self.delay = delay
        self.settled = settled
        self.expire = expire
        self.entries: deque[tuple[float, Any, Any]] = deque()
        self.timer: asyncio.TimerHandle | None = None
        self.timer_at = 0.0
        self.trim_at = TRIM_ABOVE

    def add(self, first: Any, second: Any) -> float:
        """Schedule `expire(first, second, due)`; return `due`."""
        entries = self.entries
        due = self.loop.time() + self.delay
        entries.append((due, first, second))
        if self.timer is None:
            self.timer_at = entries[0][0]
            self.timer = self.loop.call_at(self.timer_at, self.fire)
        elif len(entries) > self.trim_at:
            self.trim()
        return due

    def trim(self) -> None:
        entries = self.entries
        settled = self.settled
        while entries and settled(entries[0][1], entries[0][2]):
            entries.popleft()
        if 2 * len(entries) > self.trim_at:
            entries = self.entries = deque(
                entry for entry in entries if not settled(entry[1], entry[2])
            )
        self.trim_at = max(TRIM_ABOVE, 2 * len(entries))

    def fire(self) -> None:
        entries = self.entries
        now = self.loop.time() + TIMER_SLACK
        settled = self.settled
        while entries:
            due, first, second = entries[0]
            if due > now:
                break
            entries.popleft()
            if not settled(first, second):
                self.expire(first, second, due)
        while entries and settled(entries[0][1], entries[0][2]):
            entries.popleft()
        if entries:
            self.timer_at = entries[0][0]
            self.timer = self.loop.call_at(self.timer_at, self.fire)
        else:
            self.timer = None


class LineCache:
    """The DeadlineLine of the running loop for one delay, made on first use. One loop at a time
    is the fast case; a line of another loop is replaced (its timer still ends its entries)."""

    __slots__ = ("delay", "expire", "line", "settled")

    def __init__(
        self,
        delay: float,
        settled: Callable[[Any, Any], bool],
        expire: Callable[[Any, Any, float], None],
    ) -> None:
        self.delay = delay
        self.settled = settled
        self.expire = expire
        self.line: DeadlineLine | None = None

    def get(self, loop: asyncio.AbstractEventLoop) -> DeadlineLine:
        line = self.line
        if line is None or line.loop is not loop:
            line = self.line = DeadlineLine(loop, self.delay, self.settled, self.expire)
        return line
