"""Explicit ignore rules: what a route declares it does not care about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from proxy.diff.paths import Path, PathPattern


@dataclass(frozen=True)
class IgnoreRules:
    """`json_paths` are path patterns (`$.items[*].updated_at`, `$..token`,
    `rows.orders[*].created_at`); `headers` are header names whose differences are ignored."""

    json_paths: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    patterns: tuple[PathPattern, ...] = field(init=False, repr=False, compare=False)

    def __init__(self, json_paths: Iterable[str] = (), headers: Iterable[str] = ()) -> None:
        object.__setattr__(self, "json_paths", tuple(json_paths))
        object.__setattr__(self, "headers", tuple(h.lower() for h in headers))
        object.__setattr__(self, "patterns", tuple(PathPattern.parse(p) for p in self.json_paths))

    def merged(self, other: IgnoreRules) -> IgnoreRules:
        return IgnoreRules((*self.json_paths, *other.json_paths), (*self.headers, *other.headers))

    def ignores(self, path: Path) -> bool:
        if (
            path.root == "headers"
            and path.segments
            and str(path.segments[0]).lower() in self.headers
        ):
            return True
        return any(pattern.matches(path) for pattern in self.patterns)
