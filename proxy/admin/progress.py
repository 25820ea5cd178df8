"""The migration's progress: how many routes were in each mode over time, replayed from the
audit log (every change: who, when, from, to)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from proxy.store import MODES, AuditEntry
from proxy.store.live import LiveRoute


@dataclass(frozen=True)
class ProgressPoint:
    at: float
    counts: dict[str, int]


def progress(
    routes: Sequence[LiveRoute], entries: Sequence[AuditEntry], now: float
) -> list[ProgressPoint]:
    """One point before the first change, one after each change, one for now. `routes` are the
    config's routes with their live state; `entries` the audit log, oldest first. Changes of
    routes no longer in the config are left out."""
    known = {str(route.key): route for route in routes}
    relevant = [entry for entry in entries if entry.route in known]
    mode_of = {name: route.mode for name, route in known.items()}
    seen: set[str] = set()
    for entry in relevant:  # each route's mode before its first change in the log
        if entry.route not in seen:
            seen.add(entry.route)
            mode_of[entry.route] = entry.from_mode or known[entry.route].configured_mode

    def point(at: float) -> ProgressPoint:
        counts = Counter(mode_of.values())
        return ProgressPoint(at, {mode: counts.get(mode, 0) for mode in MODES})

    points = [point(relevant[0].at if relevant else now)]
    for entry in relevant:
        mode_of[entry.route] = entry.to_mode
        points.append(point(entry.at))
    points.append(point(max(now, points[-1].at)))
    return points
