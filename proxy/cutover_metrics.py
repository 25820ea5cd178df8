"""Prometheus metrics of the cutover pieces: the state store, canary assignment, automatic
rollback and the shadow queue. The names are the ones a Grafana dashboard queries:

    strangler_store_changes_total{outcome}                 applied | conflict
    strangler_store_errors_total{operation}                the store could not be reached
    strangler_store_propagation_seconds                    change written -> applied by a worker
    strangler_route_live_mode{route, mode}                 1 for the route's live mode, else 0
    strangler_route_canary_weight{route}                   the live canary weight (0-100)
    strangler_canary_assignments_total{route, side, reason}
    strangler_rollbacks_total{route, trigger}              5xx_rate | p99_ratio | diff_rate
    strangler_shadow_enqueued_total{route}
    strangler_shadow_dropped_total{route, reason}          queue_full | stuck | closed | too_large
                                                           | incomplete | budget
    strangler_shadow_sent_total{route, outcome}            answered | failed | timeout
    strangler_shadow_compared_total{route, result}         equal | noise | differed
    strangler_shadow_recorded_total{route}                 requests written to the case file
    strangler_plan_steps_total{route, mode}                steps a plan moved on to
    strangler_shadow_queue_depth                           requests waiting in this worker

They are prometheus_client's own metric objects, so with PROMETHEUS_MULTIPROC_DIR set they are
summed over every worker like the front's request metrics (gauges: the largest value, "max").
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from proxy.plain_counter import PlainCounter, PublishFirst
from proxy.store.model import MODES

PROPAGATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0)


class CutoverMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        r = self.registry
        publish_first = PublishFirst()  # before the counters: a scrape publishes, then reads
        r.register(publish_first)
        self.store_changes = Counter(
            "strangler_store_changes", "Compare-and-set changes by outcome", ["outcome"],
            registry=r,
        )  # fmt: skip
        self.store_errors = Counter(
            "strangler_store_errors", "Store operations that could not reach the store",
            ["operation"], registry=r,
        )  # fmt: skip
        self.store_propagation = Histogram(
            "strangler_store_propagation_seconds",
            "Seconds from a change being written to a worker applying it",
            buckets=PROPAGATION_BUCKETS, registry=r,
        )  # fmt: skip
        self.live_mode = Gauge(
            "strangler_route_live_mode", "1 for the route's live mode, 0 for the others",
            ["route", "mode"], registry=r, multiprocess_mode="max",
        )  # fmt: skip
        self.canary_weight = Gauge(
            "strangler_route_canary_weight", "The route's live canary weight in percent",
            ["route"], registry=r, multiprocess_mode="max",
        )  # fmt: skip
        self.canary_assignments = Counter(
            "strangler_canary_assignments", "Canary decisions by side and reason",
            ["route", "side", "reason"], registry=r,
        )  # fmt: skip
        self.rollbacks = Counter(
            "strangler_rollbacks", "Automatic rollbacks by route and trigger",
            ["route", "trigger"], registry=r,
        )  # fmt: skip
        self.shadow_enqueued = Counter(
            "strangler_shadow_enqueued", "Mirrored requests queued for the new side", ["route"],
            registry=r,
        )  # fmt: skip
        self.shadow_enqueues = PlainCounter(self.shadow_enqueued)
        """Counted on the client's path, as `shadow_drops`."""
        self.shadow_dropped = Counter(
            "strangler_shadow_dropped", "Mirrored requests dropped instead of sent",
            ["route", "reason"], registry=r,
        )  # fmt: skip
        self.shadow_drops = PlainCounter(self.shadow_dropped)
        """Drops are counted here, in plain ints, and reach `shadow_dropped` at each scrape
        (proxy/plain_counter.py)."""
        self.shadow_sent = Counter(
            "strangler_shadow_sent", "Mirrored requests sent, by outcome", ["route", "outcome"],
            registry=r,
        )  # fmt: skip
        self.shadow_compared = Counter(
            "strangler_shadow_compared", "Shadow comparisons by result", ["route", "result"],
            registry=r,
        )  # fmt: skip
        self.shadow_sends = PlainCounter(self.shadow_sent)
        self.shadow_comparisons = PlainCounter(self.shadow_compared)
        """Each mirrored request's outcome and comparison, counted in plain ints as the drops
        are, on the worker's loop where the shadow's work takes time from the clients."""
        self.shadow_recorded = Counter(
            "strangler_shadow_recorded", "Mirrored requests written to the case file", ["route"],
            registry=r,
        )  # fmt: skip
        self.plan_steps = Counter(
            "strangler_plan_steps", "Plan steps the front moved routes on to", ["route", "mode"],
            registry=r,
        )  # fmt: skip
        publish_first.publishers += [
            self.shadow_drops.publish, self.shadow_enqueues.publish, self.shadow_sends.publish,
            self.shadow_comparisons.publish,
        ]  # fmt: skip
        self.shadow_queue_depth = Gauge(
            "strangler_shadow_queue_depth", "Mirrored requests waiting in this worker's queue",
            registry=r, multiprocess_mode="max",
        )  # fmt: skip

    def set_live_mode(self, route: str, mode: str, weight: int) -> None:
        for each in MODES:
            self.live_mode.labels(route, each).set(1 if each == mode else 0)
        self.canary_weight.labels(route).set(weight if mode == "canary" else 0)

    def child(self, metric: Any, *labels: str) -> Any:
        """`metric.labels(*labels)`, kept: the shadow counts on the worker's event loop for each
        mirrored request, and `labels()` checks and locks each time."""
        key = (id(metric), labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found
