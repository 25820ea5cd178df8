"""What the dashboard shows of shadow mode: per route, how many mirrored requests were compared,
how many differed and how many were dropped, and the latest differences with a curl line that
reproduces each (proxy/shadow_records.py: summed over every worker through the store). A front
without them (built from settings alone) shows zeros and no differences."""

from __future__ import annotations

from typing import Any, Protocol

from proxy.shadow_records import ShadowCounts, ShadowDifference

__all__ = ["NoShadowRecords", "ShadowCounts", "ShadowDifference", "ShadowRecords", "records_of"]


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
