"""The reason of a route marked for translation, held on its entry until the verification's child
lists the resolver's patterns (codemods/engine/route_translation.py)."""

from __future__ import annotations

from typing import Any

from codemods.engine.findings import Finding, Status
from codemods.engine.route_translation import DETAIL, hold, settle

NOTE = (
    "route marked for translation (pgettext_lazy()): Django serves the active language's "
    "translation; the new path is the untranslated route"
)


def entry(status: Status = Status.converted, reasons: tuple[str, ...] = ()) -> Finding:
    finding = Finding(kind="route", symbol="InboxView", status=status, reasons=list(reasons))
    finding.details = {"django_route": "^inbox/$", "name": "postman:inbox"}
    hold(finding, NOTE, status)
    return finding


def served(translated: bool, rule: str = "^inbox/$", name: str = "postman:inbox") -> Any:
    return {"rules": [{"rule": rule, "endpoint": name, "translated": translated}]}


def test_a_held_reason_makes_the_entry_partial_first_among_its_reasons() -> None:
    finding = entry(Status.partial, ("queries run on Django's ORM",))
    assert finding.status == Status.partial
    assert finding.reasons == [NOTE, "queries run on Django's ORM"]


def test_a_route_the_resolver_serves_as_plain_text_takes_its_status_without_the_reason() -> None:
    finding = entry()
    finding.verified = True
    settle([finding], served(False))
    assert (finding.status, finding.reasons) == (Status.converted, [])
    assert DETAIL not in finding.details


def test_a_site_prefix_before_the_route_is_the_same_pattern() -> None:
    finding = entry()
    finding.verified = True
    settle([finding], served(False, rule="messages/^inbox/$"))
    assert finding.status == Status.converted


def test_a_translated_route_keeps_its_reason() -> None:
    finding = entry()
    settle([finding], served(True))
    assert (finding.status, finding.reasons) == (Status.partial, [NOTE])
    assert DETAIL not in finding.details


def test_a_route_the_resolver_does_not_list_keeps_its_reason() -> None:
    finding = entry()
    settle([finding], served(False, name="postman:sent"))
    assert finding.status == Status.partial


def test_without_verification_the_reason_stays() -> None:
    finding = entry()
    settle([finding], None)
    assert (finding.status, finding.reasons) == (Status.partial, [NOTE])
    assert DETAIL not in finding.details


def test_a_route_with_other_reasons_stays_partial_without_this_one() -> None:
    finding = entry(Status.partial, ("queries run on Django's ORM",))
    settle([finding], served(False))
    assert (finding.status, finding.reasons) == (Status.partial, ["queries run on Django's ORM"])


def test_a_route_failing_its_check_stays_partial() -> None:
    finding = entry()
    finding.verified = False
    finding.note("verify answers: GET: 200 on legacy, 404 on new")
    settle([finding], served(False))
    assert finding.status == Status.partial
    assert finding.reasons == ["verify answers: GET: 200 on legacy, 404 on new"]


def test_a_route_the_verification_did_not_call_is_unverified() -> None:
    finding = entry()
    finding.error = "not called: it has no URL"
    finding.note("verify answers: not called: it has no URL", Status.unverified)
    settle([finding], served(False))
    assert finding.status == Status.unverified
