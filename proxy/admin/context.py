"""What the admin app reads and changes: the config's routes, the front's state store, the
traffic figures and shadow records its workers report, and the migrated app (for its OpenAPI)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from proxy.admin.shadow_view import ShadowRecords
from proxy.admin.traffic import StoreTraffic
from proxy.settings import RouteSettings, StranglerSettings
from proxy.store import StateStore, StoreUnreachable


@dataclass
class AdminContext:
    settings: StranglerSettings
    traffic: StoreTraffic
    shadow: ShadowRecords
    migrated: Any = None
    store: StateStore | None = None

    @property
    def routes(self) -> tuple[RouteSettings, ...]:
        return self.settings.routes

    def live_store(self) -> StateStore:
        """The front's own store. Raises StoreUnreachable for a front without one."""
        if self.store is None:
            raise StoreUnreachable(
                "this front has no state store (it was built from settings alone)"
            )
        return self.store
