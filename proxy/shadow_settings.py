"""The `[shadow]` table of strangler.toml: how the front mirrors requests of routes in `shadow`
mode, compares the answers and records traffic. Which routes and how much of their traffic are
per route (`shadow_sample`, `side_effect_free` in `[[routes]]`).

    [shadow]
    isolation = "process"      # the new side answers in a child process at idle CPU priority
                               # ("inline": in the worker itself)
    timeout = 5.0              # seconds the new side has to answer a mirrored request
    max_pending = 1000         # mirrored requests waiting per worker; more are dropped, counted
    concurrency = 4            # mirrored requests in progress per worker
    max_busy = 0               # start shadow work only while at most this many client requests
                               # are in flight in the worker (0: in its idle moments)
    budget = 0.05              # share of the worker's spare CPU time the shadow's work in the
                               # worker may take; beyond it requests are not mirrored (counted,
                               # reason "budget"); 0: no bound (see proxy/shadow_budget.py)
    max_body_bytes = 1048576   # larger requests or answers are not mirrored (counted)
    noise_sample = 0.1         # share of mirrored GET/HEAD/OPTIONS asked of legacy twice
    noise_warmup = 20          # the first N of each route are always asked twice
    keep_differences = 20      # latest differences kept per route, with a curl reproduction
    record = "recorded.jsonl"  # write sampled mirrored requests here (relative to the config)
    record_sample = 0.1        # share of mirrored requests recorded
    record_max_bytes = 50000000
    redact = ["email"]         # more names to redact when recording (see proxy/shadow_record.py)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ShadowSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    isolation: Literal["process", "inline"] = Field(
        "process",
        description="where the new side answers mirrored requests: a child process of each"
        " worker at idle CPU priority, or the worker itself",
    )
    timeout: float = Field(5.0, gt=0, description="seconds the new side has to answer")
    max_pending: int = Field(1000, ge=1, description="mirrored requests waiting per worker")
    concurrency: int = Field(4, ge=1, le=256, description="mirrored requests sent at once")
    max_busy: int = Field(
        0,
        ge=0,
        description="shadow work starts only while at most this many client requests are in"
        " flight in the worker",
    )
    budget: float = Field(
        0.05,
        ge=0,
        le=1,
        description="share of the worker's spare CPU time the shadow's work in the worker may"
        " take (copies, frames to the new side, noise samples); 0: no bound",
    )
    max_body_bytes: int = Field(
        1_048_576, ge=0, description="requests or answers larger than this are not mirrored"
    )
    noise_sample: float = Field(
        0.1, ge=0, le=1, description="share of mirrored safe requests asked of legacy twice"
    )
    noise_warmup: int = Field(
        20, ge=0, description="the first N mirrored safe requests of a route: always twice"
    )
    keep_differences: int = Field(20, ge=0, le=1000, description="latest differences per route")
    record: Path | None = Field(None, description="case file recorded traffic is appended to")
    record_sample: float = Field(0.1, ge=0, le=1, description="share of mirrored requests kept")
    record_max_bytes: int = Field(50_000_000, ge=1024, description="the case file's size limit")
    redact: tuple[str, ...] = Field((), description="more secret names, redacted when recording")

    @property
    def noise_timeout(self) -> float:
        """Seconds legacy has for its second answer (the noise sample): a quarter of `timeout`,
        the rest is the new side's."""
        return self.timeout / 4
