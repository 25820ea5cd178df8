"""The interface every state store implements, and the one way a change is computed."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Any

from proxy.store.model import AuditEntry, Desired, RouteKey, RouteState

REPORTS_KEPT_SECONDS = 7 * 24 * 3600


class StateStore(ABC):
    """Routes' live state shared by every worker and host.

    `compare_and_set(key, expected_version, ...)` writes only if the route is still at
    `expected_version` (0: the store does not know the route yet), and appends the audit entry
    in the same atomic step. `generation()` grows on every change anywhere: watchers poll it
    and read everything again only when it moved.
    """

    url: str

    @abstractmethod
    def read_all(self) -> dict[RouteKey, RouteState]: ...

    @abstractmethod
    def read(self, key: RouteKey) -> RouteState | None: ...

    @abstractmethod
    def compare_and_set(
        self, key: RouteKey, expected_version: int, desired: Desired, *, who: str, why: str = ""
    ) -> RouteState:
        """The new state; raises VersionConflict (nothing written) or StoreUnreachable."""

    @abstractmethod
    def audit(self, *, route: RouteKey | None = None, limit: int = 100) -> list[AuditEntry]:
        """The latest `limit` changes (of one route, or of all), oldest first."""

    @abstractmethod
    def generation(self) -> int: ...

    @abstractmethod
    def publish_report(self, worker: str, report: dict[str, Any]) -> None:
        """Replace what `worker` (one front worker process) last reported: its per-route
        counters (shadow comparisons, requests per side), read by `strangler status` and the
        dashboard, summed over workers. Reports older than REPORTS_KEPT_SECONDS are removed."""

    @abstractmethod
    def reports(self) -> dict[str, dict[str, Any]]:
        """Every worker's last report, by worker."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> StateStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def next_state(
    key: RouteKey, current: RouteState | None, desired: Desired, who: str, why: str
) -> tuple[RouteState, AuditEntry]:
    """The state a change writes and its audit entry (`current` is what the store holds)."""
    now = time.time()
    state = RouteState(
        mode=desired.mode,
        weight=desired.weight,
        plan=desired.plan,
        version=(current.version if current is not None else 0) + 1,
        updated_at=now,
        updated_by=who,
    )
    entry = AuditEntry(
        route=str(key),
        who=who,
        at=now,
        from_mode=current.mode if current is not None else None,
        from_weight=current.weight if current is not None else None,
        to_mode=desired.mode,
        to_weight=desired.weight,
        version=state.version,
        why=why,
        plan=desired.plan.to_json() if desired.plan is not None else None,
    )
    return state, entry
