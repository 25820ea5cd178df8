"""Answers: compare what the two sides answered for each route, from the probe's results."""

from __future__ import annotations

from typing import Any

from codemods.engine.verify.failures import Failure, Uncalled, Verification
from codemods.engine.verify.routes import RouteCall


def compare(call: RouteCall, seen: dict[str, Any]) -> Failure | None:
    """The first difference of the anonymous call, then of the call as the logged-in user (made
    when the anonymous answer asked for a login: probe.py)."""
    where = f"{call.method} {seen['url']}"
    user = seen.get("user")
    return compare_pair(call, seen, where) or (
        compare_pair(call, user, f"{where} (as the logged-in user)") if user else None
    )


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
