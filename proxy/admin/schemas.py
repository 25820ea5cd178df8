"""The admin API's request and response bodies (they document the API in its OpenAPI)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from proxy.admin.shadow_view import ShadowDifference
from proxy.admin_tokens import Role
from proxy.store import Mode

SIDES = ("legacy", "new")


class Identity(BaseModel):
    name: str
    role: Role


class SideFigures(BaseModel):
    """Over the route's analysis window, summed over every front worker reporting to the store
    (null until one has)."""

    request_rate: float | None = Field(None, description="requests per second")
    error_rate: float | None = Field(None, description="share of 5xx answers")
    p99_ms: float | None = Field(None, description="99th percentile latency, milliseconds")


class ShadowFigures(BaseModel):
    compared: int = 0
    differed: int = 0
    dropped: int = 0
    diff_rate: float | None = Field(None, description="differed / compared")


class RouteView(BaseModel):
    route: str = Field(description="the route's key: its methods and path, `GET,POST /api/x`")
    path: str = Field(description="the path as written in strangler.toml")
    methods: list[str]
    configured_mode: str = Field(description="the mode strangler.toml gives")
    mode: str = Field(description="the live mode (the store's, else the file's)")
    weight: int = Field(description="canary weight in percent (0 unless canary)")
    version: int = Field(description="the store's version of the route; 0: never changed")
    plan: dict[str, Any] | None = None
    plan_step: str | None = None
    sides: dict[str, SideFigures]
    shadow: ShadowFigures


class AuditView(BaseModel):
    route: str
    who: str
    at: float = Field(description="Unix time")
    from_mode: str | None
    from_weight: int | None
    to_mode: str
    to_weight: int
    version: int
    why: str


class RouteDetail(RouteView):
    audit: list[AuditView]
    differences: list[ShadowDifference]


class RouteChoice(BaseModel):
    path: str = Field(description="the route's path as written in strangler.toml")
    method: str | None = Field(
        None, description="the entry for this method, where a path has several"
    )


class CutoverRequest(RouteChoice):
    to: Mode
    weight: int | None = Field(None, ge=0, le=100, description="canary only")
    reason: str = Field("", max_length=500)
    if_version: int | None = Field(None, description="change only if still at this version")
    force: bool = Field(False, description="abort the route's running or paused plan to do this")


class ChangeResult(BaseModel):
    route: str
    before: str
    mode: str
    weight: int
    version: int
    changed: bool


class RollbackRequest(BaseModel):
    path: str | None = None
    method: str | None = None
    all: bool = Field(False, description="every route of the config that is not at legacy")
    reason: str = Field("manual rollback", max_length=500)


class RollbackResult(BaseModel):
    route: str
    rolled_back: bool
    version: int | None


class PlanRequest(RouteChoice):
    steps: list[str] = Field(
        min_length=1,
        description="MODE[:WEIGHT][:DURATION] in order: shadow:30m, canary:10:10m, new",
    )
    reason: str = Field("", max_length=500)
    if_version: int | None = None


class PlanControl(RouteChoice):
    reason: str = Field("", max_length=500)
    if_version: int | None = None


class PlanResult(BaseModel):
    route: str
    mode: str
    weight: int
    version: int
    plan: dict[str, Any] | None
    plan_step: str | None


class ProgressPointView(BaseModel):
    at: float
    counts: dict[str, int]


class ProgressView(BaseModel):
    modes: list[str]
    points: list[ProgressPointView]
