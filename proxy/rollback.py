"""Rolling a route back: legacy, weight 0, its plan aborted, the reason recorded in the audit
log, a metric and a log line. What automatic rollback does when the analysis says so, and what
`strangler rollback` will do by hand."""

from __future__ import annotations

from dataclasses import replace

import structlog

from proxy.cutover_metrics import CutoverMetrics
from proxy.store import Desired, RouteKey, RouteState, StateStore, VersionConflict

log = structlog.get_logger("strangler.rollback")
AUTOMATIC = "automatic rollback"


def roll_back(
    store: StateStore,
    key: RouteKey,
    *,
    who: str,
    why: str,
    trigger: str = "manual",
    metrics: CutoverMetrics | None = None,
) -> RouteState | None:
    """Set `key` back to legacy. None when it already is (nothing written, nothing counted).

    Retries when another change lands in between; a route that is already at legacy with no
    running plan is left alone, so several workers crossing the same threshold roll back once.
    """
    while True:
        current = store.read(key)
        if (
            current is not None
            and current.mode == "legacy"
            and (current.plan is None or current.plan.status != "running")
        ):
            return None
        plan = current.plan if current is not None else None
        if plan is not None and plan.status in ("running", "paused"):
            plan = replace(plan, status="aborted")
        try:
            state = store.compare_and_set(
                key,
                current.version if current is not None else 0,
                Desired("legacy", 0, plan),
                who=who,
                why=why,
            )
        except VersionConflict:
            continue
        if metrics is not None:
            metrics.rollbacks.labels(str(key), trigger).inc()
        log.warning(
            "route_rolled_back",
            route=str(key),
            trigger=trigger,
            reason=why,
            who=who,
            from_mode=current.mode if current is not None else None,
            version=state.version,
        )
        return state
