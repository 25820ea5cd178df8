"""Request rate, error rate and p99 per route and side, as `strangler status` shows them: the
reports every front worker publishes to the store (proxy/cutover_report.py), summed over every
worker of every host. The store is read at most once a second, whatever the dashboard's polling.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from proxy.cutover_report import summarise
from proxy.store import StateStore

READ_EVERY_SECONDS = 1.0
Figures = dict[str, dict[str, Any]]  # side -> {request_rate, error_rate, p99_ms}


class StoreTraffic:
    def __init__(
        self, store_of: Callable[[], StateStore | None], *, wall: Callable[[], float] = time.time
    ) -> None:
        self.store_of = store_of
        self.wall = wall
        self._lock = threading.Lock()
        self._read_at = float("-inf")
        self._sides: dict[str, Figures] = {}

    def sides(self, route: str) -> Figures:
        """The per-side figures of `route` (`GET /api/items`); {} when no worker reported it.
        Raises StoreUnreachable."""
        store = self.store_of()
        if store is None:
            return {}
        now = self.wall()
        with self._lock:
            if now - self._read_at >= READ_EVERY_SECONDS:
                summary = summarise(store.reports(), now)
                self._sides = {key: found["sides"] for key, found in summary.items()}
                self._read_at = now
            return self._sides.get(route, {})
