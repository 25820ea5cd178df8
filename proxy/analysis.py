"""Automatic rollback analysis: a pure object fed observations that says when, and why, a
route must go back to legacy.

Three triggers, each judged over a sliding window (`window_seconds`) and only once the window
holds at least `min_samples` observations of what it compares (the min-sample guard: five
requests with one 500 are not a 20 % error rate):

- `5xx_rate`: the share of the new side's answers with a 5xx status;
- `p99_ratio`: the new side's p99 latency divided by legacy's (both sides need `min_samples`
  timed answers; a mirrored request's time is not one: the shadow runs at idle priority, so the
  ratio is judged on the answers clients got, in canary and new);
- `diff_rate`: the share of shadow comparisons that found a real difference.

A threshold left as None is not judged (in strangler.toml, where there is no None, set
`enabled = false` to judge nothing). The object keeps no clock of its own: callers pass the time
(monotonic seconds), so tests need no sleeping.

Observations are added on every request, so they cost a dict update: the window is a ring of
one-second slots, each holding counts and a latency histogram (buckets 5 % wide, each keeping
the sum of its values, so the p99 is exact when the values of its bucket are equal and within
5 % otherwise). Judging merges at most `window_seconds` slots, whatever the request rate.

Each worker judges its own traffic; the first worker that crosses a threshold makes the rollback
(a compare-and-set in the store, see proxy/rollback.py), the others find it done.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Trigger = Literal["5xx_rate", "p99_ratio", "diff_rate"]
SLOT_SECONDS = 1.0
_SMALLEST = 1e-5  # seconds: the first latency bucket's upper bound
_GROWTH = math.log(1.05)


class RollbackThresholds(BaseModel):
    """A route's `rollback` table: `[[routes]] ... rollback = { max_5xx_rate = 0.02 }`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(True, description="false: this route is never rolled back by itself")
    max_5xx_rate: float | None = Field(0.05, ge=0, le=1, description="share of new-side 5xx")
    max_p99_ratio: float | None = Field(2.0, gt=0, description="new p99 / legacy p99")
    max_diff_rate: float | None = Field(0.05, ge=0, le=1, description="share of shadow diffs")
    window_seconds: float = Field(60.0, ge=1, le=3600, description="the sliding window")
    min_samples: int = Field(50, ge=1, description="observations needed before judging")


@dataclass(frozen=True)
class Verdict:
    rollback: bool
    trigger: Trigger | None = None
    reason: str = ""


HEALTHY = Verdict(False)


def latency_bucket(seconds: float) -> int:
    if seconds <= _SMALLEST:
        return 0
    return 1 + int(math.log(seconds / _SMALLEST) / _GROWTH)


SIDES = ("legacy", "new")


@dataclass
class _Slot:
    """What one second of traffic added: answers, 5xx and a latency histogram per side, and
    shadow comparisons."""

    index: int
    answers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    compared: int = 0
    differed: int = 0
    latency: dict[str, dict[int, list[float]]] = field(
        default_factory=lambda: {side: {} for side in SIDES}
    )

    def add_answer(self, side: str, status: int, seconds: float | None) -> None:
        self.answers[side] += 1
        if status >= 500:
            self.errors[side] += 1
        if seconds is None:
            return
        bucket = self.latency[side].setdefault(latency_bucket(seconds), [0, 0.0])
        bucket[0] += 1
        bucket[1] += seconds


Histogram = dict[int, tuple[int, float]]
"""Latency bucket -> (count, sum of seconds)."""


def histogram_p99(histogram: Histogram) -> float | None:
    """The nearest-rank 99th percentile: the mean of the values in its bucket."""
    count = sum(n for n, _ in histogram.values())
    if not count:
        return None
    rank = max(1, math.ceil(0.99 * count))
    seen = 0
    for bucket in sorted(histogram):
        n, total = histogram[bucket]
        seen += n
        if seen >= rank:
            return total / n
    return None


def merge_histograms(into: Histogram, other: Mapping[int, Sequence[float]]) -> None:
    for bucket, (count, total) in other.items():
        before = into.get(bucket, (0, 0.0))
        into[bucket] = (before[0] + int(count), before[1] + total)


@dataclass(frozen=True)
class Totals:
    """The window's observations, merged."""

    answers: dict[str, int]
    errors: dict[str, int]
    compared: int
    differed: int
    latency: dict[str, Histogram]

    @property
    def new_answers(self) -> int:
        return self.answers["new"]

    @property
    def new_5xx(self) -> int:
        return self.errors["new"]

    def latency_count(self, side: str) -> int:
        return sum(count for count, _ in self.latency[side].values())

    def p99(self, side: str) -> float:
        return histogram_p99(self.latency[side]) or 0.0


class RollbackAnalysis:
    def __init__(self, thresholds: RollbackThresholds | None = None) -> None:
        self.thresholds = thresholds or RollbackThresholds()
        self._slots: deque[_Slot] = deque()

    def _slot(self, at: float) -> _Slot:
        index = int(at // SLOT_SECONDS)
        slots = self._slots
        if slots and slots[-1].index == index:
            return slots[-1]
        if slots and slots[-1].index > index:  # a late observation: find its slot, if kept
            for slot in reversed(slots):
                if slot.index == index:
                    return slot
            return slots[-1]
        slot = _Slot(index)
        slots.append(slot)
        return slot

    def observe_request(self, side: str, status: int, seconds: float, at: float) -> None:
        """An answer from `side` ("legacy" or "new"; others are ignored)."""
        if side not in ("legacy", "new"):
            return
        self._slot(at).add_answer(side, status, seconds)

    def observe_status(self, side: str, status: int, at: float) -> None:
        """An answer whose latency says nothing of the side's (a mirrored request, answered at
        idle priority): it counts for the 5xx rate only."""
        if side in SIDES:
            self._slot(at).add_answer(side, status, None)

    def observe_shadow(self, differed: bool, at: float) -> None:
        """A shadow comparison of legacy's answer with the new side's."""
        slot = self._slot(at)
        slot.compared += 1
        if differed:
            slot.differed += 1

    def totals(self, now: float) -> Totals:
        """The observations of the window ending at `now` (older slots are forgotten)."""
        oldest = now - self.thresholds.window_seconds
        slots = self._slots
        while slots and (slots[0].index + 1) * SLOT_SECONDS <= oldest:
            slots.popleft()
        answers = dict.fromkeys(SIDES, 0)
        errors = dict.fromkeys(SIDES, 0)
        latency: dict[str, Histogram] = {side: {} for side in SIDES}
        compared = differed = 0
        for slot in slots:
            compared += slot.compared
            differed += slot.differed
            for side in SIDES:
                answers[side] += slot.answers[side]
                errors[side] += slot.errors[side]
                merge_histograms(latency[side], slot.latency[side])
        return Totals(answers, errors, compared, differed, latency)

    def judged(self, now: float, *, shadow: bool) -> bool:
        """Whether the window holds enough observations to judge the route: enough shadow
        comparisons (a route in shadow) or enough new-side answers (canary, new). A plan moves on
        only from a judged step."""
        totals = self.totals(now)
        count = totals.compared if shadow else totals.new_answers
        return count >= self.thresholds.min_samples

    def verdict(self, now: float) -> Verdict:
        t = self.thresholds
        if not t.enabled:
            return HEALTHY
        totals = self.totals(now)
        window = f"{t.window_seconds:g}s"
        answers = totals.new_answers
        if t.max_5xx_rate is not None and answers >= t.min_samples:
            rate = totals.new_5xx / answers
            if rate > t.max_5xx_rate:
                return Verdict(True, "5xx_rate", (
                    f"new side 5xx rate {rate:.1%} > {t.max_5xx_rate:.1%} "
                    f"over {answers} requests in {window}"
                ))  # fmt: skip
        enough_latency = min(totals.latency_count("legacy"), totals.latency_count("new"))
        if t.max_p99_ratio is not None and enough_latency >= t.min_samples:
            legacy_p99, new_p99 = totals.p99("legacy"), totals.p99("new")
            ratio = new_p99 / legacy_p99 if legacy_p99 > 0 else math.inf
            if ratio > t.max_p99_ratio:
                return Verdict(True, "p99_ratio", (
                    f"p99 latency new/legacy {ratio:.2f} > {t.max_p99_ratio:g} "
                    f"(new {new_p99 * 1000:.1f} ms, legacy {legacy_p99 * 1000:.1f} ms) "
                    f"in {window}"
                ))  # fmt: skip
        if t.max_diff_rate is not None and totals.compared >= t.min_samples:
            rate = totals.differed / totals.compared
            if rate > t.max_diff_rate:
                return Verdict(True, "diff_rate", (
                    f"shadow diff rate {rate:.1%} > {t.max_diff_rate:.1%} "
                    f"over {totals.compared} comparisons in {window}"
                ))  # fmt: skip
        return HEALTHY
