"""Request rate, error rate and p99 per route and side, from the front's own Prometheus metrics
(`strangler_requests_total`, `strangler_request_duration_seconds`), which with
PROMETHEUS_MULTIPROC_DIR are already summed over every worker of the host.

Each read takes a sample of the counters; the figures are the change between the newest sample
and the oldest one kept in the window (at first, the zeros of the front's start), so they say
what happened lately rather than since the start.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families

from proxy.metrics import DURATION, REQUESTS

Series = tuple[str, str]  # (route label, side)


@dataclass
class Sample:
    at: float
    requests: dict[Series, float] = field(default_factory=dict)
    errors: dict[Series, float] = field(default_factory=dict)
    buckets: dict[Series, dict[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class SideTraffic:
    requests: int
    request_rate: float | None
    error_rate: float | None
    p99_ms: float | None


def parse(text: str, at: float) -> Sample:
    sample = Sample(at)
    for family in text_string_to_metric_families(text):
        if family.name == REQUESTS:
            for metric in family.samples:
                if not metric.name.endswith("_total"):
                    continue
                series = (metric.labels["route"], metric.labels["side"])
                sample.requests[series] = sample.requests.get(series, 0.0) + metric.value
                if metric.labels.get("status", "").startswith("5"):
                    sample.errors[series] = sample.errors.get(series, 0.0) + metric.value
        elif family.name == DURATION:
            for metric in family.samples:
                if not metric.name.endswith("_bucket"):
                    continue
                series = (metric.labels["route"], metric.labels["side"])
                bound = float(metric.labels["le"])
                buckets = sample.buckets.setdefault(series, {})
                buckets[bound] = buckets.get(bound, 0.0) + metric.value
    return sample


def quantile(q: float, cumulative: list[tuple[float, float]]) -> float | None:
    """Prometheus' histogram_quantile over cumulative (upper bound, count) pairs."""
    if not cumulative or cumulative[-1][1] <= 0:
        return None
    total = cumulative[-1][1]
    rank = q * total
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in cumulative:
        if count >= rank:
            if math.isinf(bound):
                return lower_bound
            if count == lower_count:
                return bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / (
                count - lower_count
            )
        lower_bound, lower_count = bound, count
    return lower_bound


class TrafficSampler:
    def __init__(
        self,
        exposition: Callable[[], bytes],
        *,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._exposition = exposition
        self._window = window
        self._clock = clock
        self._samples: deque[Sample] = deque([Sample(clock())])
        self._lock = threading.Lock()

    def read(self) -> dict[Series, SideTraffic]:
        """Take a sample; the figures of every (route, side) over the window."""
        newest = parse(self._exposition().decode(), self._clock())
        with self._lock:
            while len(self._samples) > 1 and newest.at - self._samples[1].at >= self._window:
                self._samples.popleft()
            oldest = self._samples[0]
            self._samples.append(newest)
        seconds = max(newest.at - oldest.at, 1e-9)
        figures = {}
        for series, total in newest.requests.items():
            count = total - oldest.requests.get(series, 0.0)
            errors = newest.errors.get(series, 0.0) - oldest.errors.get(series, 0.0)
            before = oldest.buckets.get(series, {})
            cumulative = sorted(
                (bound, count_ - before.get(bound, 0.0))
                for bound, count_ in newest.buckets.get(series, {}).items()
            )
            p99 = quantile(0.99, cumulative) if count > 0 else None
            figures[series] = SideTraffic(
                requests=int(total),
                request_rate=round(count / seconds, 3),
                error_rate=round(errors / count, 4) if count > 0 else None,
                p99_ms=round(p99 * 1000, 2) if p99 is not None else None,
            )
        return figures
