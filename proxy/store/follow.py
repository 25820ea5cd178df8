"""`python -m proxy.store.follow URL [--prefix P] [--interval S]`: a worker's view of the store,
printed. One JSON line per route state applied (at start and on every change), with the seconds
between the change being written and this process applying it (`lag`).

What the propagation test and bench run as "another process"; also handy to watch a store by
hand.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time

from proxy.store.model import StoreUnreachable
from proxy.store.settings import open_store
from proxy.store.watcher import Snapshot, StateWatcher


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxy.store.follow")
    parser.add_argument("url")
    parser.add_argument("--prefix", default="strangler:")
    parser.add_argument("--interval", type=float, default=0.25)
    args = parser.parse_args(argv)
    seen: dict[str, int] = {}

    def print_changes(snapshot: Snapshot) -> None:
        now = time.time()
        for key, state in snapshot.items():
            if seen.get(str(key)) == state.version:
                continue
            seen[str(key)] = state.version
            line = {
                "route": str(key),
                "mode": state.mode,
                "weight": state.weight,
                "version": state.version,
                "lag": round(now - state.updated_at, 4),
            }
            print(json.dumps(line), flush=True)

    try:
        store = open_store(args.url, key_prefix=args.prefix)
        watcher = StateWatcher(store, poll_interval=args.interval, on_change=print_changes)
        watcher.start()
    except StoreUnreachable as error:
        print(f"strangler: {error}", file=sys.stderr)
        return 3
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(json.dumps({"ready": True}), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()
    watcher.stop()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
