"""`[server] cpu_affinity`: keep each front process on one CPU core.

Python runs one thread's Python code at a time (the GIL), so a front process never needs more than
one core for its Python work. Without pinning, the event-loop thread and the legacy thread that
answers a request tend to run on different cores, and every hand-over between them makes both
cores miss the objects the other just touched: on the example apps under load that cost 140 to
710 µs of CPU per legacy request (docs/ops.md, bench/proxy_overhead). Pinned to one core, the
hand-over is nearly free. The price: a pinned process cannot run GIL-free work (C extensions,
hashing, compression) on a second core, so give every worker process its own core and run one
worker per core.

Each process claims a core with an exclusive lock on a file named after the core, in a directory
shared by the workers of one server (keyed by their parent's pid); the lock goes when the process
does, so a restarted worker takes the core its predecessor left. With more workers than cores,
the surplus workers share cores round-robin.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Literal

CpuAffinity = Literal["auto"] | Sequence[int]

_claimed: list[IO[bytes]] = []  # open lock files: each claim lasts as long as the process


class AffinityError(Exception):
    """The setting names cores this process may not run on, or the platform cannot pin."""


def allowed_cores() -> list[int]:
    return sorted(os.sched_getaffinity(0))


def candidate_cores(setting: CpuAffinity) -> list[int]:
    """The cores a process may take one of; AffinityError if the setting names others."""
    allowed = allowed_cores()
    if setting == "auto":
        return allowed
    foreign = sorted(set(setting) - set(allowed))
    if foreign:
        raise AffinityError(
            f"server.cpu_affinity: core(s) {', '.join(map(str, foreign))} not available to this"
            f" process (available: {', '.join(map(str, allowed))})"
        )
    return list(dict.fromkeys(setting))


def claim_core(candidates: Sequence[int], claims: Path) -> int:
    """The first candidate no live process of this server holds; round-robin once all are held."""
    claims.mkdir(parents=True, exist_ok=True)
    for core in candidates:
        lock = open(claims / f"core-{core}.lock", "wb")  # noqa: SIM115  (held until exit)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _claimed.append(lock)
        return core
    return candidates[os.getpid() % len(candidates)]


def pin_process(core: int) -> None:
    """Move every thread of this process to `core`; threads started later inherit it."""
    for task in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(task), {core})
        except ProcessLookupError:  # the thread ended meanwhile
            continue


def apply(setting: CpuAffinity) -> int | None:
    """Pin this process as `setting` says; return the core, or None when pinning is off."""
    if setting != "auto" and not setting:
        return None
    if not hasattr(os, "sched_setaffinity"):
        raise AffinityError("server.cpu_affinity: this platform cannot pin a process to a core")
    claims = Path(tempfile.gettempdir()) / f"strangler-cpu-{os.getuid()}-{os.getppid()}"
    core = claim_core(candidate_cores(setting), claims)
    pin_process(core)
    return core
