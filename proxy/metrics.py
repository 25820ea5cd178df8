"""Prometheus metrics per route and side, recorded once per request by the front.

    strangler_requests_total{route, side, method, status}
    strangler_request_duration_seconds{route, side}     (a histogram)
    strangler_connections_closed_total{reason}          (proxy.connection_closes; one process)

In one process the hot path is plain dict and list arithmetic on the event loop thread, and a
prometheus_client collector turns it into metric families when /metrics is scraped. With
PROMETHEUS_MULTIPROC_DIR set (several gunicorn workers), prometheus_client's own counters and
histograms are used, since only they write the shared files `/metrics` adds up.
"""

from __future__ import annotations

import os
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from proxy.connection_closes import CLOSES

DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
REQUESTS = "strangler_requests"
REQUESTS_HELP = "Requests answered by the front, by route template, side and status class"
REQUEST_LABELS = ("route", "side", "method", "status")
DURATION = "strangler_request_duration_seconds"
DURATION_HELP = "Time from request to the end of the response, by route template and side"
DURATION_LABELS = ("route", "side")
CLOSED = "strangler_connections_closed"
CLOSED_HELP = "Connections the front closed by itself, by reason"


class _Durations:
    """One histogram child: per-bucket counts (the last one is +Inf) and the sum."""

    __slots__ = ("buckets", "created", "total")

    def __init__(self) -> None:
        self.buckets = [0] * (len(DURATION_BUCKETS) + 1)
        self.total = 0.0
        self.created = time.time()


class RequestMetrics(Collector):
    """The in-process store and its collector."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str, int], int] = {}
        self.created: dict[tuple[str, str, str, int], float] = {}
        self.durations: dict[tuple[str, str], _Durations] = {}

    def observe(self, route: str, side: str, method: str, status: int, seconds: float) -> None:
        key = (route, side, method, status)
        count = self.counts.get(key)
        if count is None:
            self.created[key] = time.time()
            count = 0
        self.counts[key] = count + 1
        durations = self.durations.get((route, side))
        if durations is None:
            durations = self.durations[(route, side)] = _Durations()
        # `le` buckets: the first bound >= seconds; past the last bound is +Inf
        durations.buckets[bisect_left(DURATION_BUCKETS, seconds)] += 1
        durations.total += seconds

    def collect(self) -> Iterator[Any]:
        requests = CounterMetricFamily(REQUESTS, REQUESTS_HELP, labels=REQUEST_LABELS)
        requests_created = GaugeMetricFamily(
            f"{REQUESTS}_created", REQUESTS_HELP, labels=REQUEST_LABELS
        )
        for (route, side, method, status), count in list(self.counts.items()):
            labels = [route, side, method, str(status)]
            requests.add_metric(labels, count)
            requests_created.add_metric(labels, self.created[(route, side, method, status)])
        durations = HistogramMetricFamily(DURATION, DURATION_HELP, labels=DURATION_LABELS)
        durations_created = GaugeMetricFamily(
            f"{DURATION}_created", DURATION_HELP, labels=DURATION_LABELS
        )
        bounds = [*map(floatToGoString, DURATION_BUCKETS), "+Inf"]
        for (route, side), child in list(self.durations.items()):
            cumulative, running = [], 0
            for bound, count in zip(bounds, child.buckets, strict=True):
                running += count
                cumulative.append((bound, running))
            durations.add_metric([route, side], cumulative, child.total)
            durations_created.add_metric([route, side], child.created)
        yield from (requests, requests_created, durations, durations_created)
        closed = CounterMetricFamily(CLOSED, CLOSED_HELP, labels=("reason",))
        for reason, count in sorted(CLOSES.items()):
            closed.add_metric([reason], count)
        yield closed


class _ClientMetrics:
    """prometheus_client's counter and histogram (multiprocess mode), label children cached."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(REQUESTS, REQUESTS_HELP, REQUEST_LABELS, registry=registry)
        self.duration = Histogram(
            DURATION, DURATION_HELP, DURATION_LABELS, buckets=DURATION_BUCKETS, registry=registry
        )
        self._counters: dict[tuple[str, str, str, int], Any] = {}
        self._histograms: dict[tuple[str, str], Any] = {}

    def observe(self, route: str, side: str, method: str, status: int, seconds: float) -> None:
        counter_key = (route, side, method, status)
        counter = self._counters.get(counter_key)
        if counter is None:
            counter = self._counters[counter_key] = self.requests.labels(
                route, side, method, str(status)
            )
        counter.inc()
        histogram = self._histograms.get((route, side))
        if histogram is None:
            histogram = self._histograms[(route, side)] = self.duration.labels(route, side)
        histogram.observe(seconds)


class Metrics:
    """What the front records per request, and the /metrics exposition."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        store: RequestMetrics | _ClientMetrics
        if self.multiprocess:
            store = _ClientMetrics(self.registry)
        else:
            store = RequestMetrics()
            self.registry.register(store)
        self.observe: Callable[[str, str, str, int, float], None] = store.observe

    def exposition(self) -> tuple[bytes, str]:
        """The text format; aggregated across gunicorn workers in multiprocess mode."""
        if self.multiprocess:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
