"""What every front worker runs beside the requests: automatic rollback, plans moved on, and
its report to the store.

The front hands each answer of a configured route to `observe` (a dict update), and the shadow
its comparisons (`observe_shadow`) and new-side answers (`observe_new`). Once a second `run`:

- judges each route whose live mode involves the new side (shadow, canary, new) with its
  `rollback` thresholds over the sliding window (proxy/analysis.py). Crossing one rolls the route
  back: legacy, weight 0, its plan aborted, the reason in the audit log, the metric
  `strangler_rollbacks_total{route, trigger}` and a `route_rolled_back` log line
  (proxy/rollback.py). Every worker judges its own traffic; the first to cross writes the
  change, one compare-and-set on the version, and the others find the route at legacy already;
- moves a running plan on to its next step when the step's time is up and the analysis is
  healthy and judged (enough samples in the step: a step that saw no traffic holds). Again one
  compare-and-set on the version: of several workers, one moves it. A next step the front could
  not serve (its mode needs a migrated handler the route lacks: `refusal`) is not taken: the
  plan is paused at the step it is in, the reason in the audit log and a `plan_step_refused`
  log line;
- publishes this worker's report (proxy/cutover_report.py).

The analysis of a route starts again whenever its live state changes (a new version): each
step, and each mode set by hand, is judged on its own traffic. Store I/O runs on a thread, so
a slow store never holds the event loop; judging runs on the loop, where observations land.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import structlog

from proxy.analysis import RollbackAnalysis, RollbackThresholds, Verdict
from proxy.cutover_metrics import CutoverMetrics
from proxy.cutover_report import route_report
from proxy.plans import advance, step_text
from proxy.rollback import AUTOMATIC, roll_back
from proxy.store import Desired, RouteKey, RouteState, StateStore, StoreError, VersionConflict

log = structlog.get_logger("strangler.cutover")
JUDGED_MODES = frozenset({"shadow", "canary", "new"})
Snapshot = Mapping[RouteKey, RouteState]


class ConfiguredRoute(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def methods(self) -> Sequence[str]: ...

    @property
    def mode(self) -> Any: ...

    @property
    def rollback(self) -> RollbackThresholds: ...


@dataclass(frozen=True)
class RollBack:
    key: RouteKey
    version: int
    verdict: Verdict


@dataclass(frozen=True)
class MoveOn:
    key: RouteKey
    version: int
    desired: Desired


@dataclass(frozen=True)
class Hold:
    """The plan's next step cannot be served: pause the plan where it is."""

    key: RouteKey
    version: int
    desired: Desired
    reason: str


Decision = RollBack | MoveOn | Hold
Refusal = Callable[[RouteKey, str, int], "str | None"]
"""Why the front could not serve a route in a mode and weight (no migrated handler), or None."""


@dataclass
class _Route:
    key: RouteKey
    configured_mode: str
    thresholds: RollbackThresholds
    analysis: RollbackAnalysis
    version: int = -1
    since: float = 0.0
    acted_on: int = -1
    """The version this worker already wrote a change for (not again until it moves)."""


def worker_name() -> str:
    return f"front {socket.gethostname()}:{os.getpid()}"


class CutoverLoop:
    def __init__(
        self,
        store: StateStore,
        routes: Sequence[ConfiguredRoute],
        live: Callable[[], Snapshot],
        *,
        metrics: CutoverMetrics | None = None,
        shadow_report: Callable[[], dict[str, dict[str, Any]]] | None = None,
        interval: float = 1.0,
        who: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        refusal: Refusal | None = None,
    ) -> None:
        self.store = store
        self.refusal = refusal
        self.live = live
        self.metrics = metrics
        self.shadow_report = shadow_report
        self.interval = interval
        self.who = who or worker_name()
        self.worker = f"{self.who}:{int(wall())}"
        self.monotonic = monotonic
        self.wall = wall
        self.routes: dict[str, _Route] = {}
        for route in routes:
            key = RouteKey.of(route.path, list(route.methods))
            self.routes[str(key)] = _Route(
                key, str(route.mode), route.rollback, RollbackAnalysis(route.rollback),
                since=monotonic(),
            )  # fmt: skip
        self._by_key = {route.key: route for route in self.routes.values()}
        self._task: asyncio.Task[None] | None = None

    # -- observations (the event loop, per request) ----------------------------------------------

    def observe(self, key: str, side: str, status: int, seconds: float) -> None:
        route = self.routes.get(key)
        if route is not None:
            route.analysis.observe_request(side, status, seconds, self.monotonic())

    def observe_key(self, key: RouteKey, side: str, status: int, seconds: float) -> None:
        """`observe`, for the front, which holds the route's key."""
        route = self._by_key.get(key)
        if route is not None:
            route.analysis.observe_request(side, status, seconds, self.monotonic())

    def observe_new(self, key: str, status: int, seconds: float) -> None:
        """A new-side answer to a mirrored request: its status counts, its time does not (the
        shadow runs at idle priority, on whatever CPU the clients leave)."""
        route = self.routes.get(key)
        if route is not None:
            route.analysis.observe_status("new", status, self.monotonic())

    def observe_shadow(self, key: str, differed: bool) -> None:
        route = self.routes.get(key)
        if route is not None:
            route.analysis.observe_shadow(differed, self.monotonic())

    # -- judging ---------------------------------------------------------------------------------

    def _follow(self, route: _Route, state: RouteState | None) -> None:
        """Start the route's analysis again when its live state moved to another version."""
        version = state.version if state is not None else 0
        if version != route.version:
            if route.version != -1:
                route.analysis = RollbackAnalysis(route.thresholds)
                route.since = self.monotonic()
            route.version = version

    def decide(self) -> list[Decision]:
        """What this worker should write now (pure but for starting analyses again)."""
        snapshot = self.live()
        now, wall = self.monotonic(), self.wall()
        decisions: list[Decision] = []
        for route in self.routes.values():
            state = snapshot.get(route.key)
            self._follow(route, state)
            if route.acted_on == route.version:
                continue
            mode = state.mode if state is not None else route.configured_mode
            verdict = route.analysis.verdict(now) if mode in JUDGED_MODES else None
            if verdict is not None and verdict.rollback:
                decisions.append(RollBack(route.key, route.version, verdict))
                continue
            plan = state.plan if state is not None else None
            if state is None or plan is None or plan.status != "running":
                continue
            judged = mode not in JUDGED_MODES or route.analysis.judged(now, shadow=mode == "shadow")
            following = advance(plan, wall, healthy=judged)
            if following is None:
                continue
            reason = (
                self.refusal(route.key, following.mode, following.weight)
                if self.refusal is not None
                else None
            )
            if reason is not None:
                held = Desired(state.mode, state.weight, replace(plan, status="paused"))
                decisions.append(Hold(route.key, state.version, held, reason))
            else:
                decisions.append(MoveOn(route.key, state.version, following))
        return decisions

    def act(self, decisions: Sequence[Decision]) -> None:
        """Write the decisions to the store (each one compare-and-set; losing is fine)."""
        for decision in decisions:
            route = self.routes[str(decision.key)]
            route.acted_on = decision.version
            if isinstance(decision, RollBack):
                verdict = decision.verdict
                rolled = roll_back(
                    self.store, decision.key, who=self.who,
                    why=f"{AUTOMATIC}: {verdict.reason}", trigger=verdict.trigger or "analysis",
                    metrics=self.metrics,
                )  # fmt: skip
                if rolled is not None:
                    self._follow(route, rolled)
                continue
            if isinstance(decision, Hold):
                self.hold(route, decision)
                continue
            desired = decision.desired
            plan = desired.plan
            assert plan is not None
            step = f"step {plan.current + 1}/{len(plan.steps)}"
            try:
                moved = self.store.compare_and_set(
                    decision.key, decision.version, desired, who=self.who,
                    why=f"plan {step}: {desired.mode}"
                    + (f" {desired.weight}%" if desired.mode == "canary" else ""),
                )  # fmt: skip
            except VersionConflict:  # another worker moved it, or an operator changed it
                continue
            self._follow(route, moved)
            if self.metrics is not None:
                self.metrics.plan_steps.labels(str(decision.key), desired.mode).inc()
            log.info("plan_advanced", route=str(decision.key), step=step, mode=desired.mode,
                     weight=desired.weight, status=plan.status)  # fmt: skip

    def hold(self, route: _Route, decision: Hold) -> None:
        plan = decision.desired.plan
        assert plan is not None
        following = plan.steps[plan.current + 1]
        step = f"step {plan.current + 2}/{len(plan.steps)} {step_text(following)}"
        try:
            held = self.store.compare_and_set(
                decision.key, decision.version, decision.desired, who=self.who,
                why=f"plan paused: {step} cannot run: {decision.reason}",
            )  # fmt: skip
        except VersionConflict:
            return
        self._follow(route, held)
        log.error("plan_step_refused", route=str(decision.key), step=step,
                  reason=decision.reason, action="plan paused")  # fmt: skip

    def report(self) -> dict[str, Any]:
        now = self.monotonic()
        shadow = self.shadow_report() if self.shadow_report is not None else {}
        routes = {
            key: route_report(
                route.analysis.totals(now),
                min(now - route.since, route.thresholds.window_seconds),
                shadow.get(key),
            )
            for key, route in self.routes.items()
        }
        return {"at": self.wall(), "who": self.who, "routes": routes}

    # -- running ---------------------------------------------------------------------------------

    def tick(self) -> tuple[list[Decision], dict[str, Any]]:
        return self.decide(), self.report()

    def write(self, decisions: Sequence[Decision], report: dict[str, Any]) -> None:
        try:
            self.act(decisions)
            self.store.publish_report(self.worker, report)
        except StoreError as error:
            if self.metrics is not None:
                self.metrics.store_errors.labels("cutover").inc()
            log.warning("cutover_store_error", error=str(error), store=self.store.url)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                decisions, report = self.tick()
                await asyncio.to_thread(self.write, decisions, report)
            except Exception as error:  # never let the loop die with the worker still serving
                log.error("cutover_loop_failed", error=repr(error))

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="strangler-cutover-loop")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
