"""strangler.toml gives each route's initial mode; the store holds the live one.

Once the store has a state for a route, it wins, across restarts and edits of the file; a route
the store does not know starts from the file. `live_routes` joins the two, and `pick_route`
finds the one route a command line names (`ROUTE` as written in the file, `--method M` when the
path has several `[[routes]]` entries).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from proxy.store.model import Mode, Plan, RouteKey, RouteState


class RouteEntry(Protocol):
    """A `[[routes]]` entry as any model of strangler.toml has it."""

    @property
    def path(self) -> str: ...

    @property
    def methods(self) -> Sequence[str]: ...

    @property
    def mode(self) -> str: ...


@dataclass(frozen=True)
class LiveRoute:
    key: RouteKey
    configured_mode: str
    mode: str
    weight: int
    plan: Plan | None
    version: int
    """0 while the store does not know the route (the file's mode is in force)."""

    @property
    def differs_from_file(self) -> bool:
        return self.mode != self.configured_mode


def key_of(entry: RouteEntry) -> RouteKey:
    return RouteKey.of(entry.path, list(entry.methods))


def live_routes(
    entries: Sequence[RouteEntry], snapshot: Mapping[RouteKey, RouteState]
) -> list[LiveRoute]:
    found = []
    for entry in entries:
        key = key_of(entry)
        state = snapshot.get(key)
        configured = str(entry.mode)
        if state is None:
            weight = int(getattr(entry, "weight", 0))  # a canary's weight in the file
            found.append(LiveRoute(key, configured, configured, weight, None, 0))
        else:
            found.append(
                LiveRoute(key, configured, state.mode, state.weight, state.plan, state.version)
            )
    return found


class UnknownRoute(LookupError):
    """The command line names no route of the config, or more than one (CLI exit 2)."""


def pick_route(entries: Sequence[RouteEntry], path: str, method: str | None = None) -> RouteEntry:
    """The entry whose path is `path` as written (and whose methods include `method`)."""
    same_path = [entry for entry in entries if entry.path == path]
    if not same_path:
        near = difflib.get_close_matches(path, sorted({e.path for e in entries}), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownRoute(f"{path}: no such route in the config{hint}")
    if method is not None:
        chosen = [e for e in same_path if method.upper() in {m.upper() for m in e.methods}]
        if not chosen:
            known = ", ".join(str(key_of(e)) for e in same_path)
            raise UnknownRoute(f"{path}: no entry for {method.upper()} (entries: {known})")
        return chosen[0]
    if len(same_path) > 1:
        known = ", ".join(str(key_of(e)) for e in same_path)
        raise UnknownRoute(f"{path} has several entries ({known}): pick one with --method")
    return same_path[0]


def live_mode(entry: RouteEntry, snapshot: Mapping[RouteKey, RouteState]) -> tuple[Mode, int]:
    """The mode and weight in force for `entry`: the store's, else the file's."""
    state = snapshot.get(key_of(entry))
    if state is not None:
        return state.mode, state.weight
    return entry.mode, int(getattr(entry, "weight", 0))  # type: ignore[return-value]
