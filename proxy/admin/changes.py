"""The changes an operator makes to a route's live state, shared by `strangler cutover`,
`strangler rollback`, `strangler plan` and the admin API: one compare-and-set on the route's
version, the same guards, the same audit entries."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from proxy.cutover_metrics import CutoverMetrics
from proxy.plans import step_state, step_text
from proxy.rollback import roll_back
from proxy.store import Desired, Mode, Plan, RouteKey, RouteState, StateStore
from proxy.store.model import PlanStatus


class Refused(Exception):
    """A guard refused the change (CLI exit 1, API 409); nothing was written."""


@dataclass(frozen=True)
class Change:
    key: RouteKey
    before: str
    state: RouteState
    changed: bool


def describe(mode: str, weight: int) -> str:
    return f"canary {weight}%" if mode == "canary" else mode


def cutover(
    store: StateStore,
    key: RouteKey,
    configured: tuple[str, int],
    to: Mode,
    *,
    weight: int | None,
    who: str,
    why: str,
    if_version: int | None = None,
    force: bool = False,
    refusal: Callable[[Mode, int], str | None] | None = None,
) -> Change:
    """Set `key`'s live mode. `configured` is the file's mode and weight, in force while the
    store does not know the route. A running or paused plan refuses the change unless `force`
    (which aborts the plan), and so does `refusal(mode, weight)` when it names a reason (the
    migrated app has no handler for it); `weight` defaults to the canary weight in force when
    staying in canary, else 0. Nothing is written when the route already is as asked."""
    current = store.read(key)
    in_force = (current.mode, current.weight) if current is not None else configured
    before = describe(*in_force)
    plan = current.plan if current is not None else None
    if plan is not None and plan.status in ("running", "paused"):
        if not force:
            raise Refused(
                f"{key} has a {plan.status} plan; `strangler plan {key.path} --abort` first, "
                "or add --force (aborts it)"
            )
        plan = replace(plan, status="aborted")
    if weight is None:
        weight = in_force[1] if in_force[0] == "canary" and to == "canary" else 0
    desired = Desired(to, weight, plan)
    reason = refusal(to, weight) if refusal is not None else None
    if reason is not None:
        raise Refused(f"{key} cannot be {to}: {reason}")
    if current is not None and (current.mode, current.weight, current.plan) == (
        desired.mode, desired.weight, desired.plan,
    ):  # fmt: skip
        return Change(key, before, current, changed=False)
    expected = if_version if if_version is not None else (current.version if current else 0)
    state = store.compare_and_set(key, expected, desired, who=who, why=why)
    return Change(key, before, state, changed=True)


def rollback(
    store: StateStore,
    key: RouteKey,
    configured_mode: str,
    *,
    who: str,
    why: str,
    metrics: CutoverMetrics | None = None,
) -> RouteState | None:
    """Back to legacy, weight 0, plan aborted; None when it already was (nothing written).
    Counted in `strangler_rollbacks_total{trigger="manual"}` when `metrics` are given."""
    if store.read(key) is None and configured_mode == "legacy":
        return None
    return roll_back(store, key, who=who, why=why, trigger="manual", metrics=metrics)


def start_plan(
    store: StateStore,
    key: RouteKey,
    plan: Plan,
    *,
    who: str,
    why: str,
    if_version: int | None = None,
    refusal: Callable[[Mode, int], str | None] | None = None,
) -> RouteState:
    """Store a new plan (proxy.plans.parse_plan) at its first step; refused while another plan
    runs or is paused, and when `refusal(mode, weight)` names a reason for one of its steps (the
    migrated app has no handler for it), as `cutover` refuses that mode."""
    if refusal is not None:
        for number, step in enumerate(plan.steps, start=1):
            reason = refusal(step.mode, step.weight)
            if reason is not None:
                raise Refused(
                    f"{key}: plan step {number}/{len(plan.steps)} {step_text(step)} cannot run:"
                    f" {reason}"
                )
    current = store.read(key)
    existing = current.plan if current is not None else None
    if existing is not None and existing.status in ("running", "paused"):
        raise Refused(
            f"{key} already has a {existing.status} plan; `strangler plan {key.path} --abort` first"
        )
    expected = if_version if if_version is not None else (current.version if current else 0)
    return store.compare_and_set(
        key, expected, step_state(plan), who=who, why=why or "plan started"
    )


_NEXT_STATUS: dict[str, tuple[tuple[str, ...], PlanStatus]] = {
    "pause": (("running",), "paused"),
    "resume": (("paused",), "running"),
    "abort": (("running", "paused"), "aborted"),
}
PLAN_ACTIONS = tuple(_NEXT_STATUS)


def control_plan(
    store: StateStore,
    key: RouteKey,
    action: str,
    *,
    who: str,
    why: str,
    if_version: int | None = None,
) -> RouteState:
    """Pause, resume or abort `key`'s plan (resuming starts the current step's time again)."""
    allowed, status = _NEXT_STATUS[action]
    current = store.read(key)
    existing = current.plan if current is not None else None
    if current is None or existing is None or existing.status not in allowed:
        found = existing.status if existing is not None else "no"
        raise Refused(f"{key} has {found} plan; nothing to {action}")
    changed: Plan = replace(existing, status=status)
    if status == "running":
        changed = replace(changed, step_started_at=time.time())
    expected = if_version if if_version is not None else current.version
    return store.compare_and_set(
        key, expected, Desired(current.mode, current.weight, changed), who=who,
        why=why or f"plan {action}",
    )  # fmt: skip
