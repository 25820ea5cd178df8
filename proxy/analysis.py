"""Automatic rollback analysis: a pure object fed observations that says when, and why, a
route must go back to legacy.

Three triggers, each judged over a sliding window (`window_seconds`) and only once the window
holds at least `min_samples` observations of what it compares (the min-sample guard: five
requests with one 500 are not a 20 % error rate):

- `5xx_rate`: the share of the new side's answers with a 5xx status;
- `p99_ratio`: the new side's p99 latency divided by legacy's (both sides need `min_samples`);
- `diff_rate`: the share of shadow comparisons that found a real difference.

A threshold left as None is not judged. The object keeps no clock of its own: callers pass the
time (monotonic seconds), so tests need no sleeping. Each worker judges its own traffic; the
first worker that crosses a threshold makes the rollback (a compare-and-set in the store, see
proxy/rollback.py), the others find it done.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Trigger = Literal["5xx_rate", "p99_ratio", "diff_rate"]


class RollbackThresholds(BaseModel):
    """A route's `rollback` table: `[[routes]] ... rollback = { max_5xx_rate = 0.02 }`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_5xx_rate: float | None = Field(0.05, ge=0, le=1, description="share of new-side 5xx")
    max_p99_ratio: float | None = Field(2.0, gt=0, description="new p99 / legacy p99")
    max_diff_rate: float | None = Field(0.05, ge=0, le=1, description="share of shadow diffs")
    window_seconds: float = Field(60.0, gt=0, description="the sliding window")
    min_samples: int = Field(50, ge=1, description="observations needed before judging")
    max_kept: int = Field(100_000, ge=100, description="observations kept per series")


@dataclass(frozen=True)
class Verdict:
    rollback: bool
    trigger: Trigger | None = None
    reason: str = ""


HEALTHY = Verdict(False)


@dataclass
class _Window:
    """(time, value) pairs no older than the window; at most `max_kept` of them."""

    max_kept: int
    items: deque[tuple[float, float]] = field(default_factory=deque)

    def add(self, at: float, value: float) -> None:
        self.items.append((at, value))
        if len(self.items) > self.max_kept:
            self.items.popleft()

    def prune(self, oldest: float) -> None:
        while self.items and self.items[0][0] < oldest:
            self.items.popleft()

    def values(self) -> list[float]:
        return [value for _, value in self.items]

    def __len__(self) -> int:
        return len(self.items)


def p99(values: list[float]) -> float:
    """The nearest-rank 99th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


class RollbackAnalysis:
    def __init__(self, thresholds: RollbackThresholds | None = None) -> None:
        self.thresholds = thresholds or RollbackThresholds()
        kept = self.thresholds.max_kept
        self._new_status = _Window(kept)  # 1.0 for a 5xx, else 0.0
        self._latency = {"legacy": _Window(kept), "new": _Window(kept)}
        self._diffs = _Window(kept)  # 1.0 when the comparison found a real difference

    def observe_request(self, side: str, status: int, seconds: float, at: float) -> None:
        """An answer from `side` ("legacy" or "new"; others are ignored)."""
        latency = self._latency.get(side)
        if latency is None:
            return
        latency.add(at, seconds)
        if side == "new":
            self._new_status.add(at, 1.0 if status >= 500 else 0.0)

    def observe_shadow(self, differed: bool, at: float) -> None:
        """A shadow comparison of legacy's answer with the new side's."""
        self._diffs.add(at, 1.0 if differed else 0.0)

    def verdict(self, now: float) -> Verdict:
        t = self.thresholds
        oldest = now - t.window_seconds
        for window in (self._new_status, self._diffs, *self._latency.values()):
            window.prune(oldest)
        errors = self._new_status.values()
        if t.max_5xx_rate is not None and len(errors) >= t.min_samples:
            rate = sum(errors) / len(errors)
            if rate > t.max_5xx_rate:
                return Verdict(True, "5xx_rate", (
                    f"new side 5xx rate {rate:.1%} > {t.max_5xx_rate:.1%} "
                    f"over {len(errors)} requests in {t.window_seconds:g}s"
                ))  # fmt: skip
        legacy, new = self._latency["legacy"].values(), self._latency["new"].values()
        if t.max_p99_ratio is not None and min(len(legacy), len(new)) >= t.min_samples:
            legacy_p99, new_p99 = p99(legacy), p99(new)
            ratio = new_p99 / legacy_p99 if legacy_p99 > 0 else math.inf
            if ratio > t.max_p99_ratio:
                return Verdict(True, "p99_ratio", (
                    f"p99 latency new/legacy {ratio:.2f} > {t.max_p99_ratio:g} "
                    f"(new {new_p99 * 1000:.1f} ms, legacy {legacy_p99 * 1000:.1f} ms) "
                    f"in {t.window_seconds:g}s"
                ))  # fmt: skip
        diffs = self._diffs.values()
        if t.max_diff_rate is not None and len(diffs) >= t.min_samples:
            rate = sum(diffs) / len(diffs)
            if rate > t.max_diff_rate:
                return Verdict(True, "diff_rate", (
                    f"shadow diff rate {rate:.1%} > {t.max_diff_rate:.1%} "
                    f"over {len(diffs)} comparisons in {t.window_seconds:g}s"
                ))  # fmt: skip
        return HEALTHY
