"""What each front worker reports to the store, and the sum over workers that `strangler
status` and the dashboard show.

A worker's report (JSON, replaced about once a second):

    {"at": 1733430000.0, "who": "front web-1:4242",
     "routes": {"GET /api/items": {
         "shadow": {"compared": 120, "differed": 3, "dropped": 0, "mirrored": 120, ...,
                    "latest": [{"target": "/api/items?page=2", "differences": [...],
                                "curl": "curl -i ...", ...}]},
         "seconds": 60.0,
         "sides": {"legacy": {"requests": 900, "errors": 0, "latency": {"143": [12, 0.021]}},
                   "new": {...}}}}}

The shadow counts count since the worker started: summed over every report, those of workers
gone since included. Request and error rates and the p99 are over each route's analysis window
(`seconds`, which starts again when the route changes): summed over fresh reports only. A
mirrored request's answer counts in the new side's requests and 5xx, not in its p99.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proxy.analysis import SIDES, Histogram, Totals, histogram_p99, merge_histograms

SHADOW_COUNTS = ("compared", "differed", "dropped")
FRESH_SECONDS = 15.0
LATEST_SHOWN = 20


def route_report(
    totals: Totals, seconds: float, shadow: Mapping[str, Any] | None
) -> dict[str, Any]:
    return {
        "seconds": round(seconds, 3),
        "sides": {
            side: {
                "requests": totals.answers[side],
                "errors": totals.errors[side],
                "latency": {
                    str(bucket): [count, total]
                    for bucket, (count, total) in totals.latency[side].items()
                },
            }
            for side in SIDES
        },
        "shadow": dict(shadow) if shadow is not None else {},
    }


def empty_summary() -> dict[str, Any]:
    return {
        "shadow": dict.fromkeys(SHADOW_COUNTS, 0),
        "latest_differences": [],
        "sides": {
            side: {"request_rate": None, "error_rate": None, "p99_ms": None} for side in SIDES
        },
    }


def summarise(
    reports: Mapping[str, Mapping[str, Any]], now: float, *, fresh_seconds: float = FRESH_SECONDS
) -> dict[str, dict[str, Any]]:
    """Per route key (`GET /api/items`): shadow counts, latest differences and per-side rates,
    summed over the workers' reports."""
    shadow: dict[str, dict[str, int]] = {}
    latest: dict[str, list[dict[str, Any]]] = {}
    requests: dict[str, dict[str, float]] = {}
    answered: dict[str, dict[str, int]] = {}
    errors: dict[str, dict[str, int]] = {}
    latency: dict[str, dict[str, Histogram]] = {}
    for report in reports.values():
        fresh = now - float(report.get("at", 0)) <= fresh_seconds
        for key, route in (report.get("routes") or {}).items():
            counts = shadow.setdefault(key, {})
            for name, value in (route.get("shadow") or {}).items():
                if name == "latest":
                    latest.setdefault(key, []).extend(value)
                elif isinstance(value, int):
                    counts[name] = counts.get(name, 0) + value
            if not fresh:
                continue
            seconds = max(float(route.get("seconds") or 0), 1.0)
            for side, numbers in (route.get("sides") or {}).items():
                if side not in SIDES:
                    continue
                rates = requests.setdefault(key, {})
                rates[side] = rates.get(side, 0.0) + numbers.get("requests", 0) / seconds
                counted = answered.setdefault(key, {})
                counted[side] = counted.get(side, 0) + numbers.get("requests", 0)
                failed = errors.setdefault(key, {})
                failed[side] = failed.get(side, 0) + numbers.get("errors", 0)
                histogram = latency.setdefault(key, {}).setdefault(side, {})
                merge_histograms(histogram, {
                    int(bucket): pair for bucket, pair in (numbers.get("latency") or {}).items()
                })  # fmt: skip
    summary: dict[str, dict[str, Any]] = {}
    for key in sorted(set(shadow) | set(requests)):
        route = summary[key] = empty_summary()
        route["shadow"].update(shadow.get(key, {}))
        route["latest_differences"] = sorted(
            latest.get(key, []), key=lambda d: d.get("at", 0), reverse=True
        )[:LATEST_SHOWN]
        for side in SIDES:
            rate = requests.get(key, {}).get(side)
            if rate is None:
                continue
            count = answered[key][side]
            p99 = histogram_p99(latency[key][side])
            route["sides"][side] = {
                "request_rate": round(rate, 3),
                "error_rate": round(errors[key][side] / count, 4) if count else None,
                "p99_ms": round(p99 * 1000, 3) if p99 is not None else None,
            }
    return summary
