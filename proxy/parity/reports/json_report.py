"""The JSON report: the summary, a line per route, and every case that was not plainly equal."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from proxy.diff import Exchange
from proxy.parity.runner import CaseOutcome, ParityRun, route_key

BODY_LIMIT = 20_000


def exchange_document(exchange: Exchange | None) -> dict[str, Any] | None:
    if exchange is None:
        return None
    body = exchange.response.body
    text = body[:BODY_LIMIT].decode("utf-8", errors="replace")
    return {
        "status": exchange.response.status,
        "headers": [list(h) for h in exchange.response.headers],
        "body": text,
        "body_truncated": len(body) > BODY_LIMIT,
        "rows": exchange.rows.summary() if exchange.rows is not None else None,
    }


def outcome_document(run: ParityRun, outcome: CaseOutcome) -> dict[str, Any]:
    return {
        "route": route_key(outcome.case),
        "case": outcome.case.label,
        "source": outcome.case.source,
        "negative": outcome.case.negative,
        "identity": outcome.identity,
        "verdict": outcome.verdict,
        "error": outcome.error,
        "request": outcome.request.as_dict(),
        "curl": {
            "legacy": outcome.request.curl(run.legacy_base),
            "new": outcome.request.curl(run.new_base),
        },
        "differences": [d.as_dict() for d in outcome.comparison.real],
        "noise": [d.as_dict() for d in outcome.comparison.noise],
        "ignored": [d.as_dict() for d in outcome.comparison.ignored],
        "legacy": exchange_document(outcome.legacy),
        "new": exchange_document(outcome.new),
    }


def report_document(run: ParityRun) -> dict[str, Any]:
    summaries = run.summaries()
    return {
        "summary": {
            "cases": len(run.outcomes),
            "equal": sum(s.equal for s in summaries),
            "differing": sum(s.differing for s in summaries),
            "noise": sum(s.noise for s in summaries),
            "errors": sum(s.errors for s in summaries),
            "both_failed": sum(s.both_failed for s in summaries),
            "exit_code": run.exit_code,
            "seed": run.seed,
            "rows_compared": run.rows_compared,
            "identities": run.identities,
            "not_routed": run.not_routed,
            "legacy": run.legacy_base,
            "new": run.new_base,
            "skipped_retired": run.skipped_retired,
            "live_modes": run.live_mode_notes,
        },
        "app_errors": run.app_errors.as_dict(),
        "routes": [asdict(s) for s in summaries],
        "cases": [outcome_document(run, o) for o in run.outcomes if o.verdict != "equal"],
    }


def write_json(run: ParityRun, path: Path) -> None:
    path.write_text(json.dumps(report_document(run), indent=2, ensure_ascii=False) + "\n")
