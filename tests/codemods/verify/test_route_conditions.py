"""`route_conditions.settle`: a route registered under a URLconf's `if` that the verification did
not call, checked against the resolver's patterns."""

from __future__ import annotations

from codemods.engine.findings import Finding, Status
from codemods.engine.route_conditions import settle
from codemods.engine.verify.outcome import mark_unverified

RULES = {"rules": [{"rule": "notes/feed/", "endpoint": "feed"}]}


def uncalled(why: str) -> Finding:
    finding = Finding(kind="route", symbol="feed", status=Status.converted)
    finding.details = {"django_route": "feed/", "name": "feed", "condition": "settings.FEED_ON"}
    mark_unverified(finding, why)
    return finding


def test_a_route_django_serves_and_the_generated_app_does_not_is_partial() -> None:
    feed = uncalled("the generated app has no such route")

    settle([feed], RULES)

    assert (feed.status, feed.verified) == (Status.partial, False)
    assert feed.reasons[-1] == (
        "verify answers: registered under `if settings.FEED_ON`: Django's resolver serves it "
        "under these settings, the generated app does not"
    )


def test_a_route_neither_side_serves_stays_unverified_saying_so() -> None:
    feed = uncalled("the generated app has no such route")

    settle([feed], {"rules": []})

    assert (feed.status, feed.verified) == (Status.unverified, None)
    assert feed.reasons == [
        "registered only when `settings.FEED_ON` is true: not served under these settings "
        "(neither Django's resolver nor the generated app has the route), not called"
    ]


def test_nothing_changes_when_nothing_was_verified() -> None:
    feed = uncalled("the generated app has no such route")

    settle([feed], None)

    assert feed.reasons == ["verify answers: not called: the generated app has no such route"]
