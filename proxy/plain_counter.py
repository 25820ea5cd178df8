"""A labelled prometheus counter counted in plain ints on the event loop, published later.

A route in shadow on a busy worker drops most of its requests (no time to spare, the queue
full), and each drop is counted on the client's path (`strangler_shadow_dropped_total`); each
mirrored request is counted as queued there too (`strangler_shadow_enqueued_total`).
prometheus_client's `inc()` takes a lock and, with PROMETHEUS_MULTIPROC_DIR, writes a shared
file: several times what the rest of the drop costs. So `add` adds one to an int, and the counts
move to the counter:

- when /metrics is scraped in this process (`publish` is called by a collector the registry runs
  before the counter's own, see proxy/cutover_metrics.py);
- and at most `PUBLISH_SECONDS` after a drop, on the event loop, for the multiprocess files that
  another worker's scrape reads.

The metric's name, labels and values are the counter's own, as before; only when they reach it
changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

PUBLISH_SECONDS = 1.0


class PublishFirst:
    """A collector that yields no metric: registered before the counters, it has the registry
    publish the counts kept in plain ints (`publishers`) each time it collects (a scrape)."""

    def __init__(self) -> None:
        self.publishers: list[Callable[[], None]] = []

    def collect(self) -> Iterator[Any]:
        for publish in self.publishers:
            publish()
        return iter(())

    def describe(self) -> Iterator[Any]:
        return iter(())


class PlainCounter:
    def __init__(self, counter: Any) -> None:
        """`counter`: a prometheus_client Counter with labels."""
        self._counter = counter
        self.counts: dict[tuple[str, ...], int] = {}
        """Counts so far per label values, published or not."""
        self._published: dict[tuple[str, ...], int] = {}
        self._children: dict[tuple[str, ...], Any] = {}
        self._due = False

    def add(self, *labels: str) -> None:
        counts = self.counts
        counts[labels] = counts.get(labels, 0) + 1
        if not self._due:
            self._due = True
            self._publish_soon()

    def publish(self) -> None:
        """Move what was counted since the last time to the counter."""
        self._due = False
        published = self._published
        for key, count in list(self.counts.items()):
            new = count - published.get(key, 0)
            if new:
                child = self._children.get(key)
                if child is None:
                    child = self._children[key] = self._counter.labels(*key)
                child.inc(new)
                published[key] = count

    def _publish_soon(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop: published at the next scrape
            self._due = False
            return
        loop.call_later(PUBLISH_SECONDS, self.publish)
