"""What the admin app reads and changes: the config's routes, the state store they name, the
front's traffic figures and shadow records, and the migrated app (for its OpenAPI)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proxy.admin.shadow_view import ShadowRecords
from proxy.admin.traffic import TrafficSampler
from proxy.settings import RouteSettings, StranglerSettings, config_path
from proxy.store import StateStore, default_store_url, open_store


def store_url(settings: StranglerSettings, config: Path) -> str:
    """The store the cutover commands of the same config use."""
    return settings.store.url or default_store_url(config)


@dataclass
class AdminContext:
    settings: StranglerSettings
    traffic: TrafficSampler
    shadow: ShadowRecords
    migrated: Any = None
    config: Path = field(default_factory=config_path)
    store_override: StateStore | None = None
    _store: StateStore | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def routes(self) -> tuple[RouteSettings, ...]:
        return self.settings.routes

    def store(self) -> StateStore:
        """The store, opened on first use (again after a failed open). Raises StoreUnreachable."""
        if self.store_override is not None:
            return self.store_override
        with self._lock:
            if self._store is None:
                self._store = open_store(
                    store_url(self.settings, self.config),
                    base_dir=self.config.resolve().parent,
                    key_prefix=self.settings.store.key_prefix,
                )
            return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
