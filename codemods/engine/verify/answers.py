"""Answers: compare what the two sides answered for each route, from the probe's results."""

from __future__ import annotations

import urllib.parse
from dataclasses import replace
from typing import Any

from codemods.engine.verify.failures import Failure, Uncalled, Verification
from codemods.engine.verify.routes import BASE_URL, RouteCall
from codemods.engine.verify.rows import describe, difference


def compare(call: RouteCall, seen: dict[str, Any]) -> Failure | None:
    """The first difference of the anonymous call, then of the call as the logged-in user (made
    when the anonymous answer asked for a login: probe.py), then of the valid form's submission
    and of the one with a choice outside a field's choices (form_pass.py); for a view reading the
    AJAX header, the call and the valid submission made again with it."""
    where = f"{call.method} {seen['url']}"
    user = seen.get("user")
    ajax = seen.get("ajax")
    form = seen.get("form")
    outside = seen.get("form_outside")
    form_ajax = seen.get("form_ajax")
    first = compare_pair(call, seen, where) or (
        compare_pair(call, user, f"{where} (as the logged-in user)") if user else None
    )
    if first is not None and ajax is not None and compare_pair(call, ajax, where) is None:
        return replace(  # how the route answers a page's script, for reading the failure
            first, message=f"{first.message}; {AJAX}: {ajax['new']['status']} on both sides"
        )
    return (
        first
        or (compare_pair(call, ajax, f"{where} {AJAX}") if ajax else None)
        or (compare_form(call, form, f"{form['method']} {seen['url']}") if form else None)
        or (
            compare_form(call, outside, f"{outside['method']} {seen['url']}", OUTSIDE)
            if outside
            else None
        )
        or (
            compare_form(
                call,
                form_ajax,
                f"{form_ajax['method']} {seen['url']}",
                f"{form_label(call, form_ajax)[:-1]}, {AJAX[1:]}",
            )
            if form_ajax
            else None
        )
    )


OUTSIDE = "(a choice outside a field's choices posted)"
AJAX = "(with the AJAX header)"


def form_label(call: RouteCall, form: dict[str, Any]) -> str:
    if form["method"] == call.method:
        return "(posted with its CSRF token, as a button's form)"
    return "(a valid form posted)"


def compare_form(
    call: RouteCall, seen: dict[str, Any], where: str, label: str | None = None
) -> Failure | None:
    """A form posted: the same status and content type, the same redirect (`Location`, resolved
    against the URL as a browser resolves it) and the same rows written."""
    url = BASE_URL + where.split()[1]
    where = f"{where} {label or form_label(call, seen)}"
    failure = compare_pair(call, seen, where)
    if failure is not None:
        return failure
    legacy, new = seen["legacy"], seen["new"]

    def fail(message: str) -> Failure:
        return Failure("answers", f"{where}: {message}", call.module, call.handler, call.method)

    there = [urllib.parse.urljoin(url, side.get("location") or "") for side in (legacy, new)]
    if (legacy.get("location") is None) != (new.get("location") is None) or there[0] != there[1]:
        return fail(
            f"redirect to {legacy.get('location')!r} on legacy, {new.get('location')!r} on new"
        )
    for side, name in ((legacy, "legacy"), (new, "new")):
        if "rows" not in side:
            return fail(f"the rows written on {name} could not be read ({side.get('rows_error')})")
    found = difference(legacy["rows"], new["rows"])
    if found is not None:
        return fail(f"{found} (legacy wrote {describe(legacy['rows'])})")
    return None


def compare_pair(call: RouteCall, seen: dict[str, Any], where: str) -> Failure | None:
    legacy, new = seen["legacy"], seen["new"]

    def fail(message: str) -> Failure:
        return Failure("answers", message, call.module, call.handler, call.method)

    def detail(side: dict[str, Any]) -> str:
        return f" ({side['error']})" if side.get("error") else ""

    if legacy["status"] != new["status"]:
        return fail(
            f"{where}: {legacy['status']} on legacy{detail(legacy)},"
            f" {new['status']} on new{detail(new)}"
        )
    if new["status"] >= 500:
        return fail(f"{where}: {new['status']} on both sides{detail(new) or detail(legacy)}")
    if legacy["type"] != new["type"]:
        return fail(f"{where}: content type {legacy['type']!r} on legacy, {new['type']!r} on new")
    return None


def record(
    verification: Verification, calls: dict[int, RouteCall], seen: dict[str, dict[str, Any]]
) -> None:
    for index, call in calls.items():
        answer = seen.get(str(index))
        key = (call.module, call.handler, call.method)
        if answer is None:
            continue
        if "uncalled" in answer:
            verification.uncalled.append(Uncalled(*key, answer["uncalled"]))
            continue
        failure = compare(call, answer)
        if failure is None:
            verification.passed_calls.add(key)
        else:
            verification.failures.append(failure)
