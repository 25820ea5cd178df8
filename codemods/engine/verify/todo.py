""" "What a person must do": the reasons of every entry that is not `converted`, grouped, largest
group first."""

from __future__ import annotations

import re
from collections import Counter

from codemods.engine.findings import Finding, Status

_QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\([^()]*\)")
_NAMED = re.compile(r"\b(form|model|schema|hook|helper|function|module|rule|field)\s+[\w.]+")
_ANSWERS = (
    ("not called", "routes the verification could not call (no URL or no route to call)"),
    ("on both sides", "routes answering 5xx on both sides: fix the legacy view or the data"),
    ("content type", "routes answering another content type than legacy"),
    ("on legacy", "routes answering another status than legacy"),
)
_NAMES = (
    ("undefined name", "undefined names in the generated code (a missing import?)"),
    ("redefinition of unused", "imports hiding another name of the module"),
    ("imported but unused", "unused imports in the generated code"),
)
_OTHER_CHECKS = {
    "imports": "generated modules that do not import",
    "start-up": "the generated app does not start, or /openapi.json does not render",
}


def group(reason: str) -> str:
    """The group a reason belongs to: its check's for verification, else its generic text."""
    if reason.startswith("verify "):
        check, _, message = reason.removeprefix("verify ").partition(": ")
        table = _ANSWERS if check == "answers" else _NAMES if check == "names" else ()
        for marker, text in table:
            if marker in message:
                return text
        return _OTHER_CHECKS.get(check, f"{check} checks failed")
    text = _NAMED.sub(r"\1 …", _QUOTED.sub("…", reason)).strip()
    return text if len(text) <= 100 else text[:99] + "…"


def what_to_do(findings: list[Finding], limit: int = 10) -> list[tuple[int, str]]:
    """(entries, what to do) per group of reasons, largest first."""
    counts: Counter[str] = Counter()
    for finding in findings:
        if finding.status == Status.converted:
            continue
        counts.update({group(reason) for reason in finding.reasons})
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(count, text) for text, count in ranked[:limit]]
