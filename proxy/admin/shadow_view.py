"""What the dashboard shows of shadow mode: per route, how many mirrored requests were compared,
how many differed and how many were dropped, and the latest differences with a curl line that
reproduces each. The front hands the admin app whatever records its shadow keeps; without any
(no route has been in shadow yet) everything is zero and the list is empty."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel


class ShadowCounts(BaseModel):
    compared: int = 0
    differed: int = 0
    dropped: int = 0

    @property
    def diff_rate(self) -> float | None:
        return round(self.differed / self.compared, 4) if self.compared else None


class ShadowDifference(BaseModel):
    route: str
    at: float
    method: str
    path: str
    summary: str
    curl: str
    details: list[str] = []


class ShadowRecords(Protocol):
    def counts(self, route: str) -> ShadowCounts: ...

    def latest(self, route: str | None, limit: int) -> list[ShadowDifference]: ...


class NoShadowRecords:
    def counts(self, route: str) -> ShadowCounts:
        return ShadowCounts()

    def latest(self, route: str | None, limit: int) -> list[ShadowDifference]:
        return []


def records_of(front: Any) -> ShadowRecords:
    """The shadow records the front keeps, if it keeps any."""
    records = getattr(front, "shadow_records", None)
    return records if records is not None else NoShadowRecords()
