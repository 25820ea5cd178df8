"""The state store: each route's live mode, weight and plan, shared by every worker and host.

`model` what is stored; `base` the interface; `sqlite` the embedded default; `redis` the shared
option; `settings` the `[store]` table and `open_store`; `watcher` each worker's polling view.

`settings` (pydantic) and `watcher` (structlog) are imported on first use of what they define:
the command line imports `proxy.store.model` at start-up, and needs neither for most commands.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from proxy.store.settings import StoreSettings, default_store_url, open_store
    from proxy.store.watcher import StateWatcher

_LAZY = {
    "StoreSettings": "proxy.store.settings",
    "default_store_url": "proxy.store.settings",
    "open_store": "proxy.store.settings",
    "StateWatcher": "proxy.store.watcher",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
