"""Request rate, error rate and p99 per route and side, from the front's metrics, over a window."""

from __future__ import annotations

import pytest

from proxy.admin.traffic import TrafficSampler, quantile
from proxy.metrics import Metrics


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_quantile_interpolates_inside_the_bucket_like_prometheus() -> None:
    cumulative = [(0.1, 50.0), (0.2, 100.0), (float("inf"), 100.0)]

    assert quantile(0.5, cumulative) == pytest.approx(0.1)
    assert quantile(0.99, cumulative) == pytest.approx(0.198)


def test_quantile_of_nothing_is_none() -> None:
    assert quantile(0.99, []) is None
    assert quantile(0.99, [(0.1, 0.0), (float("inf"), 0.0)]) is None


def test_rates_and_p99_come_from_what_changed_since_the_oldest_sample() -> None:
    metrics, clock = Metrics(), Clock()
    sampler = TrafficSampler(lambda: metrics.exposition()[0], clock=clock)
    for status in (200,) * 9 + (503,):
        metrics.observe("/api/items", "new", "GET", status, 0.004)
    metrics.observe("/api/items", "legacy", "GET", 200, 0.2)
    clock.now += 10

    figures = sampler.read()

    new = figures[("/api/items", "new")]
    assert (new.requests, new.request_rate, new.error_rate) == (10, 1.0, 0.1)
    assert new.p99_ms is not None and 2.5 < new.p99_ms <= 5.0
    assert figures[("/api/items", "legacy")].request_rate == 0.1


def test_old_samples_leave_the_window() -> None:
    metrics, clock = Metrics(), Clock()
    sampler = TrafficSampler(lambda: metrics.exposition()[0], window=60, clock=clock)
    for _ in range(100):
        metrics.observe("/r", "new", "GET", 500, 0.01)
    clock.now += 30
    sampler.read()
    clock.now += 30
    sampler.read()  # from here on the burst is older than the window
    clock.now += 30
    metrics.observe("/r", "new", "GET", 200, 0.01)

    figures = sampler.read()[("/r", "new")]

    assert figures.requests == 101
    assert figures.error_rate == 0.0
    assert figures.request_rate == pytest.approx(1 / 60, abs=1e-3)


def test_a_side_without_requests_in_the_window_has_no_error_rate_or_p99() -> None:
    metrics, clock = Metrics(), Clock()
    metrics.observe("/r", "legacy", "GET", 200, 0.01)
    sampler = TrafficSampler(lambda: metrics.exposition()[0], window=5, clock=clock)
    clock.now += 10
    sampler.read()
    clock.now += 10

    figures = sampler.read()[("/r", "legacy")]

    assert (figures.request_rate, figures.error_rate, figures.p99_ms) == (0.0, None, None)
