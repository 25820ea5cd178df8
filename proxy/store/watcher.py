"""Every worker's view of the store: a thread that polls the store's generation and, when it
moved, reads every route again and hands the new snapshot on.

One poll is one tiny read (a SELECT of one row, a Redis GET), so with the default interval of
0.25 s every worker applies a change well within a second. When the store cannot be reached the
last snapshot stays in force and polling goes on; the outage and the recovery are logged once.
Start the watcher in each worker after the fork (the front's lifespan), never before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import structlog

from proxy.store.base import StateStore
from proxy.store.model import RouteKey, RouteState, StoreUnreachable

if TYPE_CHECKING:
    from proxy.cutover_metrics import CutoverMetrics

Snapshot = Mapping[RouteKey, RouteState]
log = structlog.get_logger("strangler.store")


class StateWatcher:
    def __init__(
        self,
        store: StateStore,
        *,
        poll_interval: float = 0.25,
        on_change: Callable[[Snapshot], None] | None = None,
        metrics: CutoverMetrics | None = None,
    ) -> None:
        self.store = store
        self.poll_interval = poll_interval
        self.on_change = on_change
        self.metrics = metrics
        self.snapshot: Snapshot = {}
        self.generation = -1
        self.reachable = True
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh(self) -> bool:
        """Poll once; True when a new snapshot was applied. Raises StoreUnreachable."""
        generation = self.store.generation()
        if generation == self.generation:
            return False
        snapshot = self.store.read_all()
        previous, self.snapshot, self.generation = self.snapshot, snapshot, generation
        now = time.time()
        for key, state in snapshot.items():
            old = previous.get(key)
            if old is not None and old.version == state.version:
                continue
            if self.metrics is not None:
                self.metrics.set_live_mode(str(key), state.mode, state.weight)
                if old is not None:  # a change seen live, not the start-up read
                    self.metrics.store_propagation.observe(max(0.0, now - state.updated_at))
        if self.on_change is not None:
            self.on_change(snapshot)
        return True

    def _poll_forever(self) -> None:
        while not self._stop.wait(self.poll_interval):
            try:
                self.refresh()
            except StoreUnreachable as error:
                if self.metrics is not None:
                    self.metrics.store_errors.labels("poll").inc()
                if self.reachable:
                    self.reachable = False
                    log.warning("store_unreachable", error=str(error), store=self.store.url)
                continue
            if not self.reachable:
                self.reachable = True
                log.info("store_reachable_again", store=self.store.url)

    def start(self, *, read_first: bool = True) -> None:
        """Read the store once (raising StoreUnreachable if it cannot; `read_first=False` when
        the caller just did), then poll in a thread."""
        if read_first:
            self.refresh()
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._poll_forever, name="strangler-store-watcher", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
