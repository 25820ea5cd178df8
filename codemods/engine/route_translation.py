"""Routes marked for translation (`re_path(pgettext_lazy("url", r"^inbox/$"), ...)`): the new path
is the untranslated route. When the function is Django's, the resolver translates the route into
the active language, and the new path may differ; when it is not (django-postman binds
`pgettext_lazy` to Django's only when its `POSTMAN_I18N_URLS` setting is set, else to a function
returning the route as given), the resolver holds plain text, the same in every language.

The codemod cannot tell which from the source: a route entry holds the reason as `partial`, with
what it would be without it (`hold`). The verification's child lists the resolver's patterns with
whether each route, or a prefix above it, is a lazy translation (`translated`,
codemods/django/url_patterns.py); `settle` then lifts the reason of every entry whose pattern
the resolver serves as plain text, and the entry takes the status it would have had, with what
the verification found (a failed check stays `partial`, an uncalled route `unverified`). The
reason stays when the pattern is translated, not listed, or nothing was verified.
"""

from __future__ import annotations

from typing import Any

from codemods.engine.findings import Finding, Status

NOTE_START = "route marked for translation"
DETAIL = "translation"  # the entry's held reason and status, removed by `settle`


def is_translation_note(note: str | None) -> bool:
    return note is not None and note.startswith(NOTE_START)


def hold(finding: Finding, note: str, status: Status) -> None:
    """Note the reason on `finding`, whose status without it is `status`, until `settle`."""
    finding.details[DETAIL] = {"reason": note, "status": str(status)}
    if note not in finding.reasons:
        finding.reasons.insert(0, note)  # the path's reason first, as the pattern's others
    finding.note(note, Status.partial)


def settle(findings: list[Finding], url_map: dict[str, Any] | None) -> None:
    """Lift each held reason the resolver's patterns (`url_map`, None: not verified) disprove;
    every entry loses its held detail."""
    rules = [r for r in (url_map or {}).get("rules", ()) if isinstance(r, dict)]
    for finding in findings:
        held = finding.details.pop(DETAIL, None)
        if held is None:
            continue
        served = [r for r in rules if _same_pattern(r, finding.details)]
        if not served or any(r.get("translated", True) for r in served):
            continue
        finding.reasons = [r for r in finding.reasons if r != held["reason"]]
        finding.status = _status(finding, Status(held["status"]))


def _status(finding: Finding, held: Status) -> Status:
    """What the entry is without the lifted reason: its status before it, then what the
    verification found."""
    if held != Status.converted or finding.verified is False:
        return held if held != Status.converted else Status.partial
    if finding.verified is None and (finding.error or "").startswith("not called"):
        return Status.unverified
    return held


def _same_pattern(rule: dict[str, Any], details: dict[str, Any]) -> bool:
    """The resolver's pattern of the entry: the same name without its namespaces, and a route
    ending with the entry's (anchors aside: a site's include prefix comes before it)."""
    route = str(details.get("django_route") or "").replace("^", "")
    name = str(details.get("name") or "").rpartition(":")[2] or None
    served = str(rule.get("rule") or "").replace("^", "")
    served_name = str(rule.get("endpoint") or "").rpartition(":")[2] or None
    return bool(route) and served_name == name and served.endswith(route)
