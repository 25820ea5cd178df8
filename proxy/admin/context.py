"""What the admin app reads and changes: the config's routes, the front's state store, the
traffic figures and shadow records its workers report, and the migrated app (for its OpenAPI)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from proxy.admin.shadow_view import ShadowRecords
from proxy.admin.traffic import StoreTraffic
from proxy.cutover_metrics import CutoverMetrics
from proxy.modes import mode_named
from proxy.settings import RouteSettings, StranglerSettings
from proxy.store import Mode, StateStore, StoreUnreachable


@dataclass
class AdminContext:
    settings: StranglerSettings
    traffic: StoreTraffic
    shadow: ShadowRecords
    migrated: Any = None
    store_of: Callable[[], StateStore | None] = lambda: None
    """The front's store as it is now (a worker forked with a store opened before reopens it)."""
    handlers: Any = None
    """The front's HandlerCheck: which modes the migrated app can serve a route in."""
    metrics: CutoverMetrics | None = None

    def count(self, outcome: str) -> None:
        """A change made through the API: applied, conflict (the version moved) or error."""
        if self.metrics is None:
            return
        if outcome == "error":
            self.metrics.store_errors.labels("admin_change").inc()
        else:
            self.metrics.store_changes.labels(outcome).inc()

    def refusal(self, path: str, methods: tuple[str, ...]) -> Callable[[Mode, int], str | None]:
        """Why the front could not serve the route in a mode (no migrated handler), or None."""
        handlers = self.handlers

        def refuse(mode: Mode, weight: int) -> str | None:
            if handlers is None:
                return None
            reason: str | None = handlers.refusal(path, methods, mode_named(mode, weight))
            return reason

        return refuse

    @property
    def routes(self) -> tuple[RouteSettings, ...]:
        return self.settings.routes

    def live_store(self) -> StateStore:
        """The front's own store. Raises StoreUnreachable for a front without one."""
        store = self.store_of()
        if store is None:
            raise StoreUnreachable(
                "this front has no state store (it was built from settings alone)"
            )
        return store
