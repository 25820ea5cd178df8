"""Request ids, one structured log line per request, and Prometheus metrics per route and side.

Everything is recorded once, by the front's outermost layer, whoever answered.
"""

from __future__ import annotations

import logging
import os
import random
import re
import sys
import time
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


def incoming_request_id(value: bytes | None) -> str | None:
    """The client's X-Request-ID when it is a sane token (no spaces, at most 128 chars)."""
    if not value:
        return None
    text = value.decode("latin-1")
    return text if _VALID_REQUEST_ID.match(text) else None


_random = random.Random()
os.register_at_fork(after_in_child=_random.seed)  # forked workers must not share a sequence


def new_request_id() -> str:
    """32 hex digits. Request ids correlate log lines; they are not secrets, so the default is a
    fast PRNG seeded from os.urandom rather than one urandom syscall per request."""
    return f"{_random.getrandbits(128):032x}"


def configure_logging() -> Any:
    """A structlog logger writing one JSON object per line to stdout."""
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.WriteLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=True,
    )
    return structlog.get_logger("strangler.front")


class Metrics:
    """Counters and a latency histogram labelled by route and side; label children are cached
    so the hot path does one dict lookup instead of prometheus_client's label resolution."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "strangler_requests",
            "Requests answered by the front, by route template, side and status class",
            ["route", "side", "method", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "strangler_request_duration_seconds",
            "Time from request to the end of the response, by route template and side",
            ["route", "side"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self._counters: dict[tuple[str, str, str, int], Any] = {}
        self._histograms: dict[tuple[str, str], Any] = {}

    def observe(self, route: str, side: str, method: str, status: int, seconds: float) -> None:
        counter_key = (route, side, method, status)
        counter = self._counters.get(counter_key)
        if counter is None:
            counter = self.requests.labels(route, side, method, str(status))
            self._counters[counter_key] = counter
        counter.inc()
        histogram_key = (route, side)
        histogram = self._histograms.get(histogram_key)
        if histogram is None:
            histogram = self.duration.labels(route, side)
            self._histograms[histogram_key] = histogram
        histogram.observe(seconds)

    def exposition(self) -> tuple[bytes, str]:
        """The text format; aggregated across gunicorn workers when PROMETHEUS_MULTIPROC_DIR is
        set (prometheus_client's multiprocess mode)."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


clock = time.perf_counter
