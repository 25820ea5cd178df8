"""What the admin API and dashboard read of shadow mode (`front.shadow_records`): per route the
counts compared / differed / dropped and the latest differences with their curl line, summed
over every worker that reports to the store (proxy/cutover_report.py), else this worker's own.

The store is read at most once a second, whatever the dashboard's polling.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from proxy.cutover_report import summarise
from proxy.store import StateStore, StoreError

READ_EVERY_SECONDS = 1.0


class ShadowCounts(BaseModel):
    compared: int = 0
    differed: int = 0
    dropped: int = 0

    @property
    def diff_rate(self) -> float | None:
        return round(self.differed / self.compared, 4) if self.compared else None


class ShadowDifference(BaseModel):
    route: str
    at: float
    method: str
    path: str
    summary: str
    curl: str
    details: list[str] = []

    @classmethod
    def of(cls, kept: dict[str, Any]) -> ShadowDifference:
        differences = list(kept.get("differences") or [])
        status = f"{kept.get('legacy_status')} / {kept.get('new_status')}"
        first = differences[0] if differences else "no detail"
        return cls(
            route=str(kept.get("route", "")),
            at=float(kept.get("at", 0.0)),
            method=str(kept.get("method", "")),
            path=str(kept.get("target", "")),
            summary=f"status legacy/new {status}: {first}"
            + (f" (+{len(differences) - 1} more)" if len(differences) > 1 else ""),
            curl=str(kept.get("curl", "")),
            details=differences,
        )


class ShadowRecords:
    def __init__(
        self,
        store: StateStore | None,
        local: Callable[[], dict[str, dict[str, Any]]],
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.local = local
        self.wall = wall
        self._lock = threading.Lock()
        self._read_at = float("-inf")
        self._summary: dict[str, dict[str, Any]] = {}

    def _routes(self) -> dict[str, dict[str, Any]]:
        """Per route: `shadow` counts and `latest_differences`."""
        if self.store is None:
            return {
                key: {
                    "shadow": {name: report.get(name, 0) for name in ("compared", "differed",
                                                                      "dropped")},
                    "latest_differences": list(reversed(report.get("latest", []))),
                }
                for key, report in self.local().items()
            }  # fmt: skip
        now = self.wall()
        with self._lock:
            if now - self._read_at >= READ_EVERY_SECONDS:
                # When the store cannot answer, the last summary stands until it does again.
                with contextlib.suppress(StoreError):
                    self._summary = summarise(self.store.reports(), now)
                self._read_at = now
            return self._summary

    def counts(self, route: str) -> ShadowCounts:
        found = self._routes().get(route)
        return ShadowCounts(**found["shadow"]) if found is not None else ShadowCounts()

    def latest(self, route: str | None, limit: int) -> list[ShadowDifference]:
        """The latest differences of `route` (of every route when None), newest first."""
        routes = self._routes()
        chosen = [routes[route]] if route is not None and route in routes else []
        if route is None:
            chosen = list(routes.values())
        kept = [d for found in chosen for d in found.get("latest_differences", [])]
        kept.sort(key=lambda d: d.get("at", 0.0), reverse=True)
        return [ShadowDifference.of(d) for d in kept[: max(0, limit)]]
