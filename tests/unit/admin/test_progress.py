"""The migration progress chart's data: routes per mode over time, replayed from the audit log."""

from __future__ import annotations

from proxy.admin.progress import progress
from proxy.store import AuditEntry, RouteKey
from proxy.store.live import LiveRoute

A, B = RouteKey.of("/a", ["GET"]), RouteKey.of("/b", ["GET"])


def entry(key: RouteKey, at: float, before: str | None, after: str) -> AuditEntry:
    return AuditEntry(str(key), "ana", at, before, 0, after, 0, 1)  # type: ignore[arg-type]


def test_without_changes_there_is_the_config_s_picture_now() -> None:
    routes = [LiveRoute(A, "legacy", "legacy", 0, None, 0), LiveRoute(B, "new", "new", 0, None, 0)]

    points = progress(routes, [], now=50.0)

    assert [point.at for point in points] == [50.0, 50.0]
    assert points[0].counts == {"legacy": 1, "shadow": 0, "canary": 0, "new": 1, "retired": 0}


def test_each_change_moves_one_route_from_one_band_to_another() -> None:
    routes = [
        LiveRoute(A, "legacy", "new", 0, None, 2),
        LiveRoute(B, "legacy", "legacy", 0, None, 0),
    ]
    log = [entry(A, 10.0, None, "shadow"), entry(A, 20.0, "shadow", "new")]

    points = progress(routes, log, now=30.0)

    assert [(point.at, point.counts["legacy"], point.counts["shadow"], point.counts["new"])
            for point in points] == [
        (10.0, 2, 0, 0), (10.0, 1, 1, 0), (20.0, 1, 0, 1), (30.0, 1, 0, 1),
    ]  # fmt: skip


def test_changes_of_routes_no_longer_in_the_config_are_left_out() -> None:
    routes = [LiveRoute(A, "legacy", "legacy", 0, None, 0)]

    points = progress(routes, [entry(B, 5.0, None, "new")], now=9.0)

    assert all(point.counts["new"] == 0 for point in points)
