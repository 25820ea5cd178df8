"""Noise, measured rather than guessed: where two answers of the legacy side to one request differ.

Paths are kept generalised (indices and row keys become wildcards) so that noise learnt on one
case of a route applies to its other cases: a timestamp in `$.items[0].at` makes `$.items[7].at`
noise too. A difference is noise when it is at, or inside, a noisy location.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from proxy.diff.paths import Path


@dataclass
class NoiseSet:
    paths: set[Path] = field(default_factory=set)

    def add(self, paths: Iterable[Path]) -> None:
        self.paths.update(p.generalised() for p in paths)

    def update(self, other: NoiseSet) -> None:
        self.paths |= other.paths

    def covers(self, path: Path) -> bool:
        if Path("status") in self.paths and path.root in ("status", "$", "body", "headers"):
            return True
        general = path.generalised()
        return any(general.startswith(noisy) for noisy in self.paths)

    def __bool__(self) -> bool:
        return bool(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def sorted_text(self) -> list[str]:
        return sorted(str(p) for p in self.paths)
