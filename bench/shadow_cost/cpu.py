"""CPU time a front spends, from /proc: its event loop's thread, its other threads (the legacy
pool), and its child processes (the shadow's new side), so the bench can say what each request
costs in CPU, a figure the machine's other load moves much less than latencies.

    before = front_cpu(pid); ...; spent = front_cpu(pid) - before
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICK = 1 / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class FrontCpu:
    """Seconds of CPU (user + system)."""

    loop: float = 0.0
    """The front's main thread: uvicorn's event loop, where the shadow's copies are made."""
    threads: float = 0.0
    """The front's other threads: the legacy app's WSGI threads."""
    children: float = 0.0
    """Its child processes (the shadow's new side at idle priority), living ones only."""

    def __sub__(self, other: FrontCpu) -> FrontCpu:
        return FrontCpu(
            self.loop - other.loop, self.threads - other.threads, self.children - other.children
        )

    @property
    def front(self) -> float:
        return self.loop + self.threads


def _ticks(stat: Path) -> float:
    try:
        text = stat.read_text()
    except OSError:  # gone since listed
        return 0.0
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK  # utime, stime (fields 14 and 15)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = task / "children"
        if children.exists():
            found += [int(child) for child in children.read_text().split()]
    return found


def front_cpu(pid: int) -> FrontCpu:
    loop = threads = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        spent = _ticks(task / "stat")
        if int(task.name) == pid:
            loop += spent
        else:
            threads += spent
    children = sum(_ticks(Path(f"/proc/{child}/stat")) for child in _children(pid))
    return FrontCpu(loop, threads, children)


def listening_pid(port: int) -> int:
    """The process listening on 127.0.0.1:`port` (TCP), found through its socket's inode."""
    wanted = f"{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].rsplit(":", 1)[1] == wanted and fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    raise LookupError(f"no process of this user listens on port {port}")
