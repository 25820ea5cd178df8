"""The state store: each route's live mode, weight and plan, shared by every worker and host.

`model` what is stored; `base` the interface; `sqlite` the embedded default; `redis` the shared
option; `settings` the `[store]` table and `open_store`; `watcher` each worker's polling view.
"""

from proxy.store.base import StateStore
from proxy.store.model import (
    MODES,
    AuditEntry,
    Desired,
    InvalidState,
    Mode,
    Plan,
    PlanStep,
    RouteKey,
    RouteState,
    StoreError,
    StoreUnreachable,
    VersionConflict,
)
from proxy.store.settings import StoreSettings, default_store_url, open_store
from proxy.store.watcher import StateWatcher

__all__ = [
    "MODES",
    "AuditEntry",
    "Desired",
    "InvalidState",
    "Mode",
    "Plan",
    "PlanStep",
    "RouteKey",
    "RouteState",
    "StateStore",
    "StateWatcher",
    "StoreError",
    "StoreSettings",
    "StoreUnreachable",
    "VersionConflict",
    "default_store_url",
    "open_store",
]
