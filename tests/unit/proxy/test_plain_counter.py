"""Shadow drops are counted in plain ints on the client's path and reach
`strangler_shadow_dropped_total` when /metrics is scraped, or on the event loop soon after."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import CollectorRegistry, Counter, generate_latest

from proxy import plain_counter
from proxy.cutover_metrics import CutoverMetrics
from proxy.plain_counter import PlainCounter

BUDGET = 'strangler_shadow_dropped_total{reason="budget",route="GET /api/items"}'


def test_drops_counted_in_ints_are_on_the_metric_when_scraped() -> None:
    metrics = CutoverMetrics()
    for _ in range(3):
        metrics.shadow_drops.add("GET /api/items", "budget")

    assert f"{BUDGET} 3.0" in generate_latest(metrics.registry).decode()


def test_each_scrape_adds_only_the_drops_since_the_last_one() -> None:
    metrics = CutoverMetrics()
    metrics.shadow_drops.add("GET /api/items", "budget")
    generate_latest(metrics.registry)
    metrics.shadow_drops.add("GET /api/items", "budget")

    assert f"{BUDGET} 2.0" in generate_latest(metrics.registry).decode()


def test_drops_reach_the_counter_on_the_event_loop_without_a_scrape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the multiprocess files need: another worker's scrape does not publish this one's."""
    monkeypatch.setattr(plain_counter, "PUBLISH_SECONDS", 0.0)
    registry = CollectorRegistry()  # the counter alone: nothing publishes at a scrape
    counter = Counter("strangler_shadow_dropped", "drops", ["route", "reason"], registry=registry)
    drops = PlainCounter(counter)

    async def scenario() -> None:
        drops.add("GET /api/items", "queue_full")
        for _ in range(100):  # a generous deadline, not a timed assertion
            if registry.get_sample_value(
                "strangler_shadow_dropped_total",
                {"route": "GET /api/items", "reason": "queue_full"},
            ):
                return
            await asyncio.sleep(0.01)

    asyncio.run(scenario())
    assert (
        registry.get_sample_value(
            "strangler_shadow_dropped_total", {"route": "GET /api/items", "reason": "queue_full"}
        )
        == 1.0
    )
