"""Propagation lag through the real front: `strangler serve --workers N` on a SQLite store, a
route flipped between legacy and new by compare-and-set, and client threads asking the front
on new connections (so every worker is asked) until every worker answers from the new side.

The lag printed is from the write to the last worker seen answering the new side, so it also
holds the time to meet that worker by chance: an upper bound of the front's own lag."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from proxy.store import Desired, RouteKey, open_store

ROUTE = RouteKey.of("/where", ["GET"])
CONFIG = """
[legacy]
app = "bench.store_propagation.apps:legacy"
threads = 4
legacy_timeout = 5

[migrated]
app = "bench.store_propagation.apps:migrated"

[observability]
access_log = false

[[routes]]
path = "/where"
methods = ["GET"]
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Askers:
    """Client threads asking `/where`, each answer noted as (when, side, worker pid)."""

    def __init__(self, base: str, threads: int) -> None:
        self.base = base
        self.seen: list[tuple[float, str, int]] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self.ask, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def ask(self) -> None:
        while not self.stopped.is_set():
            try:
                with httpx.Client(timeout=10) as client:
                    body = client.get(f"{self.base}/where").json()
            except httpx.HTTPError:
                continue
            with self.lock:
                self.seen.append((time.time(), body["side"], body["pid"]))

    def all_on(self, side: str, since: float, workers: int) -> float | None:
        """When the last of `workers` workers was first seen on `side` after `since`."""
        first: dict[int, float] = {}
        with self.lock:
            for at, answer_side, pid in self.seen:
                if at >= since and answer_side == side:
                    first.setdefault(pid, at)
        return max(first.values()) if len(first) >= workers else None

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=30)


@dataclass
class FrontLags:
    observed: list[float]  # write -> every worker seen answering the new side over HTTP
    applied: dict[str, float]  # the workers' own histogram: count, sum, share within 0.25/0.5/1 s


def own_lags(base: str) -> dict[str, float]:
    """`strangler_store_propagation_seconds` as the front's workers measured it themselves."""
    from prometheus_client.parser import text_string_to_metric_families

    text = httpx.get(f"{base}/metrics", timeout=10).text
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        if family.name != "strangler_store_propagation_seconds":
            continue
        for sample in family.samples:
            if sample.name.endswith("_count"):
                found["count"] = sample.value
            elif sample.name.endswith("_sum"):
                found["sum"] = sample.value
            elif sample.name.endswith("_bucket") and sample.labels["le"] in ("0.25", "0.5", "1.0"):
                found[f"le_{sample.labels['le']}"] = sample.value
    return found


def measure(changes: int, workers: int) -> FrontLags:
    folder = Path(tempfile.mkdtemp(prefix="strangler-bench-front-"))
    config = folder / "strangler.toml"
    config.write_text(CONFIG)
    port = free_port()
    metrics_dir = folder / "metrics"
    metrics_dir.mkdir()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("strangler")), "serve", "-c", str(config),
         "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    lags: list[float] = []
    applied: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the front did not start within 60 s") from None
                time.sleep(0.2)
        askers = Askers(base, threads=4)
        store = open_store(f"sqlite:///{folder / 'strangler.state.db'}")
        try:
            for version in range(1, changes + 1):
                side = "new" if version % 2 else "legacy"
                written = time.time()
                store.compare_and_set(ROUTE, version - 1, Desired(side), who="bench")
                deadline = time.monotonic() + 10
                while (seen := askers.all_on(side, written, workers)) is None:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.01)
                if seen is not None:
                    lags.append(seen - written)
                time.sleep(0.3)
            applied = own_lags(base)
        finally:
            askers.stop()
            store.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
    return FrontLags(lags, applied)


def report(front: FrontLags, changes: int, workers: int) -> None:
    lags, applied = front.observed, front.applied
    count = applied.get("count", 0)
    if count:
        shares = "  ".join(
            f"<={bound} s {applied.get(f'le_{bound}', 0) / count:.0%}"
            for bound in ("0.25", "0.5", "1.0")
        )
        print(
            f"front   applied by its workers (their own histogram): {count:.0f}  "
            f"mean {applied['sum'] / count:.3f} s  {shares}"
        )
    if not lags:
        print(f"front   no change seen by all {workers} workers within 10 s")
        return
    lags.sort()
    print(
        f"front   changes applied by all {workers} workers: {len(lags):>3}/{changes}  "
        f"median {statistics.median(lags):.3f} s  max {lags[-1]:.3f} s"
        "  (HTTP-observed, upper bound)"
    )
