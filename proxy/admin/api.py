"""The admin API under `/_strangler/api/`: read routes, traffic, shadow differences, the audit
log and the migration's progress (viewer); cut over, roll back and run plans (operator).

Changes go through the same functions and the same compare-and-set as the `strangler` commands,
so they are recorded in the audit log with the token's name as "who". Status codes: 401 no valid
token; 403 role too low; 404 unknown route (near matches named); 409 refused (a version
conflict, a running plan); 422 bad input; 503 the store cannot be reached.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from proxy.admin import changes
from proxy.admin.auth import audit_who, operator, viewer
from proxy.admin.context import AdminContext
from proxy.admin.progress import progress
from proxy.admin.schemas import (
    SIDES,
    AuditView,
    ChangeResult,
    CutoverRequest,
    Identity,
    PlanControl,
    PlanRequest,
    PlanResult,
    ProgressPointView,
    ProgressView,
    RollbackRequest,
    RollbackResult,
    RouteDetail,
    RouteView,
    ShadowFigures,
    SideFigures,
)
from proxy.admin.shadow_view import ShadowDifference
from proxy.admin_tokens import AdminIdentity
from proxy.plans import parse_plan, plan_step
from proxy.settings import RouteSettings
from proxy.store import (
    MODES,
    AuditEntry,
    InvalidState,
    RouteKey,
    RouteState,
    StoreUnreachable,
    VersionConflict,
)
from proxy.store.live import LiveRoute, UnknownRoute, key_of, live_routes, pick_route

router = APIRouter(prefix="/_strangler/api")
Viewer = Annotated[AdminIdentity, Depends(viewer)]
Operator = Annotated[AdminIdentity, Depends(operator)]


def context(request: Request) -> AdminContext:
    found: AdminContext = request.app.state.context
    return found


Context = Annotated[AdminContext, Depends(context)]


@contextmanager
def store_errors(ctx: AdminContext | None = None) -> Iterator[None]:
    """The store's errors as HTTP answers (and, for a change, counted in
    `strangler_store_changes_total{outcome}` / `strangler_store_errors_total{operation}`)."""
    try:
        yield
    except StoreUnreachable as error:
        if ctx is not None:
            ctx.count("error")
        raise HTTPException(503, f"the state store cannot be reached: {error}") from None
    except VersionConflict as error:
        if ctx is not None:
            ctx.count("conflict")
        raise HTTPException(409, f"refused: {error}") from None
    except changes.Refused as error:
        raise HTTPException(409, f"refused: {error}") from None
    except InvalidState as error:
        raise HTTPException(422, str(error)) from None


def chosen(ctx: AdminContext, path: str, method: str | None) -> tuple[RouteSettings, RouteKey]:
    try:
        entry = pick_route(ctx.routes, path, method)
    except UnknownRoute as error:
        raise HTTPException(404, str(error)) from None
    return entry, key_of(entry)  # type: ignore[return-value]


def view(ctx: AdminContext, route: LiveRoute) -> RouteView:
    reported = ctx.traffic.sides(str(route.key))
    sides = {side: SideFigures(**reported.get(side, {})) for side in SIDES}
    counts = ctx.shadow.counts(str(route.key))
    return RouteView(
        route=str(route.key),
        path=route.key.path,
        methods=list(route.key.methods),
        configured_mode=route.configured_mode,
        mode=route.mode,
        weight=route.weight,
        version=route.version,
        plan=route.plan.to_json() if route.plan is not None else None,
        plan_step=plan_step(route.plan),
        sides=sides,
        shadow=ShadowFigures(**counts.model_dump(), diff_rate=counts.diff_rate),
    )


def audit_view(entry: AuditEntry) -> AuditView:
    return AuditView(
        route=entry.route, who=entry.who, at=entry.at, from_mode=entry.from_mode,
        from_weight=entry.from_weight, to_mode=entry.to_mode, to_weight=entry.to_weight,
        version=entry.version, why=entry.why,
    )  # fmt: skip


@router.get("/me", response_model=Identity, summary="Who this token is")
def me(identity: Viewer) -> Identity:
    return Identity(name=identity.name, role=identity.role)


@router.get("/routes", response_model=list[RouteView], summary="Every route, live")
def routes(_: Viewer, ctx: Context) -> list[RouteView]:
    """Each `[[routes]]` entry with its configured and live mode, canary weight, plan, and per
    side its request rate, error rate and p99; with the shadow's counts."""
    with store_errors():
        snapshot = ctx.live_store().read_all()
        return [view(ctx, route) for route in live_routes(ctx.routes, snapshot)]


@router.get("/route", response_model=RouteDetail, summary="One route, with its history")
def route_detail(
    _: Viewer,
    ctx: Context,
    path: Annotated[str, Query(description="the route's path as written in strangler.toml")],
    method: Annotated[str | None, Query(description="where a path has several entries")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> RouteDetail:
    entry, key = chosen(ctx, path, method)
    with store_errors():
        store = ctx.live_store()
        state = store.read(key)
        entries = store.audit(route=key, limit=limit)
        (live,) = live_routes([entry], {key: state} if state is not None else {})
        base = view(ctx, live)
    return RouteDetail(
        **base.model_dump(),
        audit=[audit_view(item) for item in entries],
        differences=ctx.shadow.latest(str(key), limit),
    )


@router.get("/audit", response_model=list[AuditView], summary="The audit log, oldest first")
def audit(
    _: Viewer,
    ctx: Context,
    path: Annotated[str | None, Query(description="one route's changes only")] = None,
    method: str | None = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 100,
) -> list[AuditView]:
    key = chosen(ctx, path, method)[1] if path is not None else None
    with store_errors():
        entries = ctx.live_store().audit(route=key, limit=limit)
    return [audit_view(entry) for entry in entries]


@router.get("/progress", response_model=ProgressView, summary="Routes per mode over time")
def migration_progress(_: Viewer, ctx: Context) -> ProgressView:
    with store_errors():
        store = ctx.live_store()
        snapshot = store.read_all()
        entries = store.audit(limit=10000)
    points = progress(live_routes(ctx.routes, snapshot), entries, time.time())
    return ProgressView(
        modes=list(MODES),
        points=[ProgressPointView(at=point.at, counts=point.counts) for point in points],
    )


@router.get(
    "/shadow", response_model=list[ShadowDifference], summary="The latest shadow differences"
)
def shadow_differences(
    _: Viewer,
    ctx: Context,
    path: str | None = None,
    method: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> list[ShadowDifference]:
    """Each difference the shadow found between legacy and new, newest first, with the curl
    line that reproduces it. Empty until a route has been in shadow mode."""
    key = str(chosen(ctx, path, method)[1]) if path is not None else None
    return ctx.shadow.latest(key, limit)


@router.post("/cutover", response_model=ChangeResult, summary="Set a route's live mode")
def cutover(body: CutoverRequest, identity: Operator, ctx: Context) -> ChangeResult:
    """Any mode to any other; every worker applies it within a second. Refused (409) while the
    route has a running or paused plan, unless `force` (which aborts the plan)."""
    if body.weight is not None and body.to != "canary":
        raise HTTPException(422, "weight is for canary only")
    entry, key = chosen(ctx, body.path, body.method)
    with store_errors(ctx):
        change = changes.cutover(
            ctx.live_store(), key, (str(entry.mode), entry.weight), body.to, weight=body.weight,
            who=audit_who(identity), why=body.reason, if_version=body.if_version,
            force=body.force, refusal=ctx.refusal(key.path, key.methods),
        )  # fmt: skip
    if change.changed:
        ctx.count("applied")
    state = change.state
    return ChangeResult(
        route=str(key), before=change.before, mode=state.mode, weight=state.weight,
        version=state.version, changed=change.changed,
    )  # fmt: skip


@router.post("/rollback", response_model=list[RollbackResult], summary="Back to legacy, at once")
def rollback(body: RollbackRequest, identity: Operator, ctx: Context) -> list[RollbackResult]:
    """One route (`path`) or every route (`all`): legacy, weight 0, plan aborted."""
    if (body.path is None) == (not body.all):
        raise HTTPException(422, "give one path or all=true")
    if body.all:
        chosen_entries = {key_of(entry): str(entry.mode) for entry in ctx.routes}
    else:
        entry, key = chosen(ctx, body.path or "", body.method)
        chosen_entries = {key: str(entry.mode)}
    results = []
    with store_errors(ctx):
        store = ctx.live_store()
        for key, configured in chosen_entries.items():
            state = changes.rollback(
                store, key, configured, who=audit_who(identity), why=body.reason,
                metrics=ctx.metrics,
            )  # fmt: skip
            if state is not None:
                ctx.count("applied")
            results.append(RollbackResult(
                route=str(key), rolled_back=state is not None,
                version=state.version if state is not None else None,
            ))  # fmt: skip
    return results


def plan_result(key: RouteKey, state: RouteState) -> PlanResult:
    return PlanResult(
        route=str(key), mode=state.mode, weight=state.weight, version=state.version,
        plan=state.plan.to_json() if state.plan is not None else None,
        plan_step=plan_step(state.plan),
    )  # fmt: skip


@router.post("/plan", response_model=PlanResult, summary="Start a step plan")
def start_plan(body: PlanRequest, identity: Operator, ctx: Context) -> PlanResult:
    """The front advances it step by step while the analysis stays healthy."""
    _, key = chosen(ctx, body.path, body.method)
    with store_errors(ctx):
        plan = parse_plan(body.steps, time.time())
        state = changes.start_plan(
            ctx.live_store(), key, plan, who=audit_who(identity), why=body.reason,
            if_version=body.if_version, refusal=ctx.refusal(key.path, key.methods),
        )  # fmt: skip
    ctx.count("applied")
    return plan_result(key, state)


@router.post("/plan/{action}", response_model=PlanResult, summary="Pause, resume or abort a plan")
def control_plan(action: str, body: PlanControl, identity: Operator, ctx: Context) -> PlanResult:
    if action not in changes.PLAN_ACTIONS:
        raise HTTPException(404, f"no plan action {action!r} ({', '.join(changes.PLAN_ACTIONS)})")
    _, key = chosen(ctx, body.path, body.method)
    with store_errors(ctx):
        state = changes.control_plan(
            ctx.live_store(), key, action, who=audit_who(identity), why=body.reason,
            if_version=body.if_version,
        )  # fmt: skip
    ctx.count("applied")
    return plan_result(key, state)
