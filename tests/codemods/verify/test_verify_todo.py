""" "What a person must do": reasons of the entries not converted, grouped, largest first."""

from __future__ import annotations

from codemods.engine.findings import Finding, Status
from codemods.engine.verify.todo import what_to_do


def entry(status: Status, *reasons: str) -> Finding:
    return Finding(kind="route", symbol="view", status=status, reasons=list(reasons))


def test_reasons_are_grouped_and_the_largest_group_comes_first() -> None:
    findings = [
        entry(Status.partial, "verify answers: GET /a: 200 on legacy, 500 on new"),
        entry(Status.partial, "verify answers: GET /b: 302 on legacy, 200 on new"),
        entry(Status.partial, "verify names: views.py:3: undefined name 'request'"),
        entry(Status.manual, "form LoginForm: validated by its model"),
        entry(Status.manual, "form SignupForm: validated by its model"),
        entry(Status.partial, "verify answers: GET /c: 500 on both sides"),
        entry(Status.partial, "verify answers: GET /d: 404 on legacy, 200 on new"),
    ]
    assert what_to_do(findings) == [
        (3, "routes answering another status than legacy"),
        (2, "form …: validated by its model"),
        (1, "routes answering 5xx on both sides: fix the legacy view or the data"),
        (1, "undefined names in the generated code (a missing import?)"),
    ]


def test_converted_entries_are_not_in_the_list() -> None:
    assert what_to_do([entry(Status.converted, "a note")]) == []


def test_unverified_routes_are_in_the_list() -> None:
    findings = [entry(Status.unverified, "verify answers: not called: no legacy URL for 'x'")]
    assert what_to_do(findings) == [
        (1, "routes the verification could not call (no URL or no route to call)")
    ]
