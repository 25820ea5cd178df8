"""One front worker's cutover machinery, built from the settings and attached to the front:

- the shadow engine (proxy/shadow.py) and `ShadowMirror`, shadow mode's `Mirror`
  (proxy/modes/shadow.py calls it);
- the `BusyGauge` the front enters and leaves around each request, so shadow work waits for
  the worker's quiet moments;
- the cutover loop (proxy/cutover_loop.py): automatic rollback, plans moved on, the worker's
  report to the store. Without a store (a front built from settings alone) there is no loop:
  shadow mode still mirrors and compares, and its counts are in the metrics.

`start()` and `stop()` run in the front's lifespan, on the worker's event loop, after the fork.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from proxy.cutover_loop import CutoverLoop, Refusal
from proxy.cutover_metrics import CutoverMetrics
from proxy.diff import IgnoreRules
from proxy.modes import mode_named
from proxy.modes.base import Call, SideCall
from proxy.modes.handlers import HandlerCheck
from proxy.parity.settings import ParitySettings
from proxy.route_table import Route
from proxy.settings import RouteSettings, StranglerSettings
from proxy.shadow import Shadow, ShadowRoute
from proxy.shadow_budget import IdleCores, ShadowBudget, can_see_idle_cores
from proxy.shadow_process import ProcessNewSide
from proxy.shadow_queue import BusyGauge
from proxy.shadow_record import CaseRecorder, Redactor
from proxy.shadow_records import ShadowRecords
from proxy.shadow_side import InlineNewSide, NewSide
from proxy.store import RouteKey, StateStore, StoreError
from proxy.store.watcher import Snapshot


def shadow_routes(
    routes: Sequence[RouteSettings], parity: ParitySettings
) -> dict[RouteKey, ShadowRoute]:
    """Each configured route as the shadow sees it, with parity's ignore rules (the file's
    `[parity] ignore` and the route's `parity.ignore`), so shadow and parity judge alike."""
    found = {}
    for route in routes:
        key = RouteKey.of(route.path, list(route.methods))
        rules = parity.rules().merged(IgnoreRules(route.parity.ignore, route.parity.ignore_headers))
        found[key] = ShadowRoute(str(key), route.side_effect_free, route.shadow_sample, rules)
    return found


class ShadowMirror:
    """Shadow mode's mirror: legacy answers `call` through the shadow's capture, and the copy
    goes to the new side in the background."""

    def __init__(self, shadow: Shadow, routes: Mapping[RouteKey, ShadowRoute]) -> None:
        self.shadow = shadow
        self.routes = routes
        self._by_route: dict[tuple[str, frozenset[str]], ShadowRoute | None] = {}
        """`routes` by a front route's path and methods: a tuple of a str and a frozenset,
        whose hashes Python keeps, where a `RouteKey` is hashed and compared in Python code."""

    def answer_and_mirror(self, call: Call, legacy: SideCall) -> Awaitable[None]:
        """Not a coroutine itself: a request not mirrored gets legacy's own call to await, as in
        `legacy` mode, with no frame of the mirror's in between."""
        front_route = call.route
        try:
            route = self._by_route[(front_route.path, front_route.methods)]
        except KeyError:
            route = self._route_of(front_route)
        if route is None or not self.shadow.takes(route, call.scope["method"]):
            return legacy(call)  # not mirrored: as in `legacy` mode, no wrapper, no copy
        return self._answer_taken(route, call, legacy)

    def _route_of(self, route: Route) -> ShadowRoute | None:
        found = self._by_route[(route.path, route.methods)] = self.routes.get(route.key)
        return found

    async def _answer_taken(self, route: ShadowRoute, call: Call, legacy: SideCall) -> None:
        async def through(scope: Scope, receive: Receive, send: Send) -> None:
            await legacy(call.through(scope, receive, send))

        await self.shadow.answer_taken(route, call.scope, call.receive, call.send, through)


def recorder_for(settings: StranglerSettings, base_dir: Path | None) -> CaseRecorder | None:
    shadow = settings.shadow
    if shadow.record is None:
        return None
    path = shadow.record
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return CaseRecorder(path, max_bytes=shadow.record_max_bytes, redactor=Redactor(shadow.redact))


def new_side_for(
    settings: StranglerSettings, new_app: ASGIApp, budget: ShadowBudget | None = None
) -> NewSide:
    """`[shadow] isolation`: a child process at idle priority, or this process. The child asks
    legacy again itself on the noise sample, through the front's own bridge (with
    `[legacy] bridge = "a2wsgi"`, the worker does); the time the worker spends reading its
    answers is charged to `budget`."""
    reference = settings.migrated.app
    if settings.shadow.isolation == "process" and reference:
        own_bridge = settings.legacy.bridge == "fast"
        return ProcessNewSide(
            reference,
            legacy_reference=settings.legacy.app if own_bridge else None,
            legacy_timeout=settings.shadow.noise_timeout,
            charge=budget.charge if budget is not None else None,
        )
    return InlineNewSide(new_app)


def budget_for(settings: StranglerSettings, busy: BusyGauge) -> ShadowBudget | None:
    """`[shadow] budget`: the shadow's share of the worker's spare time; 0: no bound."""
    share = settings.shadow.budget
    if share <= 0:
        return None
    idle = IdleCores() if can_see_idle_cores() else None
    return ShadowBudget(share, requests=lambda: busy.entered, idle=idle)


def step_refusal(handlers: HandlerCheck) -> Refusal:
    def refusal(key: RouteKey, mode: str, weight: int) -> str | None:
        return handlers.refusal(key.path, key.methods, mode_named(mode, weight))

    return refusal


class CutoverRuntime:
    def __init__(
        self,
        settings: StranglerSettings,
        *,
        new_app: ASGIApp | None,
        legacy_app: ASGIApp,
        store: StateStore | None,
        live: Any,
        metrics: CutoverMetrics,
        base_dir: Path | None = None,
        handlers: HandlerCheck | None = None,
    ) -> None:
        """`handlers`: the front's check of which modes the migrated app can serve a route in
        (a plan does not move on to a step it cannot serve)."""
        self.busy = BusyGauge()
        self.routes = settings.routes
        self._records: ShadowRecords | None = None
        self.loop: CutoverLoop | None = None
        if store is not None:
            self.loop = CutoverLoop(
                store,
                settings.routes,
                live,
                metrics=metrics,
                shadow_report=lambda: self.shadow.report() if self.shadow is not None else {},
                refusal=step_refusal(handlers) if handlers is not None else None,
            )
        self.shadow: Shadow | None = None
        self.mirror: ShadowMirror | None = None
        if new_app is not None:
            loop = self.loop
            budget = budget_for(settings, self.busy)
            self.shadow = Shadow(
                settings.shadow,
                budget=budget,
                new_side=new_side_for(settings, new_app, budget),
                legacy_app=legacy_app,
                metrics=metrics,
                busy=self.busy,
                recorder=recorder_for(settings, base_dir),
                on_compared=loop.observe_shadow if loop is not None else None,
                on_new_answer=loop.observe_new if loop is not None else None,
            )
            self.mirror = ShadowMirror(self.shadow, shadow_routes(settings.routes, settings.parity))

    def records(self, store: StateStore | None) -> ShadowRecords:
        """What the admin API reads of shadow mode (`front.shadow_records`)."""
        shadow = self.shadow
        self._records = ShadowRecords(store, lambda: shadow.report() if shadow is not None else {})
        return self._records

    def any_shadow_route(self, store: StateStore | None) -> bool:
        if any(str(route.mode) == "shadow" for route in self.routes):
            return True
        try:
            live = store.read_all() if store is not None else {}
        except StoreError:
            return False
        return any(state.mode == "shadow" for state in live.values())

    def observe(self, key: RouteKey, side: str, status: int, seconds: float) -> None:
        """An answer of a configured route, for its rollback analysis."""
        if self.loop is not None:
            self.loop.observe_key(key, side, status, seconds)

    async def start(self, store: StateStore | None = None) -> None:
        """Start in the worker, after the fork; `store`: the worker's own connection to the
        store, when it had to open one again (a SQLite connection must not cross a fork)."""
        if store is not None:
            if self.loop is not None:
                self.loop.store = store
            if self._records is not None:
                self._records.store = store
        if self.shadow is not None:
            # The new side's child process is started now when a route is in shadow, else on the
            # first mirrored request: a front with no route in shadow keeps no copy of the app.
            await self.shadow.start(new_side_now=self.any_shadow_route(store))
        if self.loop is not None:
            self.loop.start()

    async def stop(self) -> None:
        if self.loop is not None:
            await self.loop.stop()
        if self.shadow is not None:
            await self.shadow.close()


def live_snapshot(watcher: Any) -> Snapshot:
    """What the front's store watcher last read (empty before its first read)."""
    snapshot: Snapshot = watcher.snapshot if watcher is not None else {}
    return snapshot
