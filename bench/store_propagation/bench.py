"""Propagation lag of the state store, measured by follower processes (`proxy.store.follow`):
the seconds between a change being written and each follower applying it. Changes to the SQLite
and the Redis store are interleaved, at irregular intervals so they do not line up with polls."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.store_propagation import front
from proxy.store import Desired, RouteKey, StateStore, StoreUnreachable, open_store

ROUTE = RouteKey.of("/bench", ["GET"])
TARGET = 1.0


class Followers:
    def __init__(self, url: str, prefix: str, count: int) -> None:
        self.lags: dict[int, list[float]] = {}
        self.lock = threading.Lock()
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-m", "proxy.store.follow", url, "--prefix", prefix],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]
        self.ready = threading.Semaphore(0)
        for proc in self.procs:
            threading.Thread(target=self._read, args=(proc,), daemon=True).start()
        for _ in self.procs:
            self.ready.acquire()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for text in proc.stdout:
            line = json.loads(text)
            if line.get("ready"):
                self.ready.release()
            elif "version" in line:
                with self.lock:
                    self.lags.setdefault(line["version"], []).append(line["lag"])

    def seen_by_all(self, version: int) -> bool:
        with self.lock:
            return len(self.lags.get(version, [])) == len(self.procs)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(timeout=10)


def change(store: StateStore, version: int) -> None:
    mode = "canary" if version % 2 else "legacy"
    store.compare_and_set(ROUTE, version - 1, Desired(mode, 10 if mode == "canary" else 0),
                          who="bench")  # fmt: skip


def report(name: str, lags: list[float]) -> None:
    lags = sorted(lags)
    p95 = lags[min(len(lags) - 1, int(len(lags) * 0.95))]
    print(
        f"{name:<7} changes applied: {len(lags):>4}  median {statistics.median(lags):.3f} s  "
        f"p95 {p95:.3f} s  max {lags[-1]:.3f} s  max/target {lags[-1] / TARGET:.2f}"
        f"  {'OK' if lags[-1] <= TARGET else 'OVER TARGET'}"
    )


def main() -> int:
    changes, count = int(sys.argv[1]), int(sys.argv[2])
    workdir = Path(tempfile.mkdtemp(prefix="strangler-bench-store-"))
    redis_url = os.environ.get("STRANGLER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"strangler-bench:{uuid.uuid4().hex}:"
    backends: dict[str, tuple[StateStore, Followers]] = {}
    sqlite_url = f"sqlite:///{workdir / 'state.db'}"
    backends["sqlite"] = (open_store(sqlite_url), Followers(sqlite_url, "strangler:", count))
    try:
        redis_store = open_store(redis_url, key_prefix=prefix)
        redis_store.generation()
        backends["redis"] = (redis_store, Followers(redis_url, prefix, count))
    except StoreUnreachable as error:
        print(f"redis: skipped ({error})")
    print(f"{changes} changes per backend, interleaved; {count} follower processes each; "
          "poll interval 0.25 s")  # fmt: skip
    rng = random.Random(1)
    try:
        for version in range(1, changes + 1):
            for store, followers in backends.values():
                change(store, version)
                deadline = time.monotonic() + 10
                while not followers.seen_by_all(version) and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(rng.uniform(0.05, 0.3))
        front_changes = max(4, changes // 2)
        front_lags = front.measure(front_changes, workers=2)
        for name, (_, followers) in backends.items():
            lags = [lag for lags in followers.lags.values() for lag in lags]
            missing = changes * count - sum(len(v) for k, v in followers.lags.items() if k >= 1)
            report(name, lags)
            if missing:
                print(f"{name:<7} {missing} change(s) not applied by a follower within 10 s")
        front.report(front_lags, front_changes, workers=2)
    finally:
        for store, followers in backends.values():
            followers.stop()
            if store.url.startswith("redis"):
                import redis

                client = redis.Redis.from_url(store.url)
                keys = list(client.scan_iter(f"{prefix}*"))
                if keys:
                    client.delete(*keys)
                client.close()
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
