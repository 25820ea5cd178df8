"""Routes registered under a URLconf's top-level `if` (`if settings.ST_UPLOAD_FILE_ENABLED:`): the
generated URLconf keeps the `if`, so the route exists exactly when Django's resolver serves the
pattern. When the test is false under the verification's settings, neither side serves it and the
verification could not call it; `settle` says so, once the resolver's patterns (`url_map`) agree,
and makes the entry `partial` when one side serves the route and the other does not.
"""

from __future__ import annotations

from typing import Any

from codemods.engine.findings import Finding, Status
from codemods.engine.route_translation import _same_pattern as same_pattern

DETAIL = "condition"  # the report entry's field: the test of the `if` registering the route
NO_NEW_ROUTE = "the generated app has no such route"  # the verification's uncalled reason
NO_LEGACY_URL = "no legacy URL for"


def settle(findings: list[Finding], url_map: dict[str, Any] | None) -> None:
    """Each conditional route the verification did not call, checked against the resolver's
    patterns (`url_map`, None: not verified)."""
    if url_map is None or "rules" not in url_map:
        return
    rules = [r for r in url_map["rules"] if isinstance(r, dict)]
    for finding in findings:
        condition = finding.details.get(DETAIL)
        if finding.kind != "route" or not condition or finding.verified is not None:
            continue
        uncalled = f"verify answers: {finding.error}"
        served = any(same_pattern(rule, finding.details) for rule in rules)
        if finding.error == f"not called: {NO_NEW_ROUTE}" and not served:
            finding.reasons = [r for r in finding.reasons if r != uncalled]
            finding.note(
                f"registered only when `{condition}` is true: not served under these settings "
                "(neither Django's resolver nor the generated app has the route), not called",
                Status.unverified,
            )
        elif finding.error == f"not called: {NO_NEW_ROUTE}":
            finding.verified = False
            finding.note(
                f"verify answers: registered under `if {condition}`: Django's resolver serves "
                "it under these settings, the generated app does not"
            )
        elif (finding.error or "").startswith(f"not called: {NO_LEGACY_URL}") and not served:
            finding.verified = False
            finding.note(
                f"verify answers: registered under `if {condition}`: the generated app serves "
                "it under these settings, Django's resolver does not"
            )
