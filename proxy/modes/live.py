"""The route table in force in one worker: strangler.toml gives each route's initial mode, the
state store holds the live one.

Once the store has a state for a route, it wins, across restarts and edits of the file; a route
the store does not know keeps the file's mode. A `StateWatcher` thread polls the store and each
change builds a new table (with an empty decision cache), swapped in as one object, so every
worker applies it within a second without a restart. A live mode the migrated app cannot serve
(no handler) is refused: the route keeps the mode it had, and the refusal is logged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import structlog

from proxy.modes import Mode, mode_named
from proxy.route_table import Route, RouteTable
from proxy.store.model import RouteKey, StoreUnreachable
from proxy.store.watcher import Snapshot, StateWatcher

if TYPE_CHECKING:
    from proxy.cutover_metrics import CutoverMetrics
    from proxy.paths import Decision
    from proxy.store.base import StateStore

log = structlog.get_logger("strangler.modes")
Refusal = Callable[[Route, Mode], "str | None"]


@dataclass(frozen=True)
class InForce:
    """A table and the decisions taken on it: replaced together, never mutated but the cache."""

    table: RouteTable
    decisions: dict[tuple[str, bytes], Decision] = field(default_factory=dict)


class LiveTable:
    def __init__(
        self,
        configured: RouteTable,
        store: StateStore | None = None,
        *,
        poll_interval: float = 0.25,
        refusal: Refusal | None = None,
        metrics: CutoverMetrics | None = None,
        reopen: Callable[[], StateStore | None] | None = None,
    ) -> None:
        self.configured = configured
        self.store = store
        self.reopen = reopen
        self.opened_in = os.getpid()
        self.refusal = refusal
        self.in_force = InForce(configured)
        self.started = False  # a first snapshot was applied (later ones are changes, logged)
        self.watcher = (
            StateWatcher(store, poll_interval=poll_interval, on_change=self.apply, metrics=metrics)
            if store is not None
            else None
        )

    @property
    def table(self) -> RouteTable:
        return self.in_force.table

    def apply(self, snapshot: Snapshot) -> None:
        """Build the table of `snapshot`'s live modes and put it in force."""
        current = {route.key: route.mode for route in self.in_force.table.routes}
        live: dict[RouteKey, Mode] = {}
        for route in self.configured.routes:
            state = snapshot.get(route.key)
            if state is None:
                continue
            mode = mode_named(state.mode, state.weight)
            reason = self.refusal(route, mode) if self.refusal is not None else None
            if reason is not None:
                kept = current.get(route.key, route.mode)
                log.error("live_mode_refused", route=str(route.key), live=state.mode,
                          kept=kept.name, reason=reason, version=state.version)  # fmt: skip
                live[route.key] = kept
                continue
            live[route.key] = mode
            before = current.get(route.key)
            if self.started and before is not None and before != mode:
                log.info("live_mode_applied", route=str(route.key), mode=mode.name,
                         weight=mode.weight, was=before.name, version=state.version)  # fmt: skip
        self.in_force = InForce(self.configured.with_modes(live))
        self.started = True

    def read(self) -> bool:
        """Read the store once now; False (logged) when it cannot be reached."""
        if self.watcher is None:
            return True
        try:
            self.watcher.refresh()
        except StoreUnreachable as error:
            log.error("store_unreachable_at_start", store=self.watcher.store.url,
                      error=str(error), action="serving the modes of strangler.toml until the"
                      " store answers")  # fmt: skip
            return False
        return True

    def differences(self) -> list[tuple[Route, Mode]]:
        """Each route whose mode in force is not the file's, with the file's mode."""
        return [
            (route, route.configured)
            for route in self.in_force.table.routes
            if route.configured is not None and route.mode != route.configured
        ]

    def log_differences(self) -> None:
        for route, configured in self.differences():
            log.warning("live_mode_differs_from_file", route=str(route.key),
                        configured=configured.name, live=route.mode.name,
                        weight=route.mode.weight)  # fmt: skip

    def start(self) -> None:
        """Poll the store in a thread (each worker, after the fork). A store opened before a fork
        (gunicorn --preload) is opened again: a SQLite connection must not cross a fork."""
        if self.watcher is None:
            return
        if os.getpid() != self.opened_in and self.reopen is not None:
            store = self.reopen()
            if store is not None:
                self.store = self.watcher.store = store
                self.opened_in = os.getpid()
        self.watcher.start(read_first=False)

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
