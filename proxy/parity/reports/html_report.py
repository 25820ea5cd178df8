"""The HTML report a person reads: one self-contained file (no external asset), a table per
route, and each differing case with its differences, the curl commands that reproduce it on
either side, and both responses side by side."""

from __future__ import annotations

import contextlib
import json
from html import escape
from pathlib import Path

from proxy.diff import Exchange
from proxy.parity.runner import BOTH_FAILED, FAILING_VERDICTS, CaseOutcome, ParityRun, route_key

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1rem 0; }
td, th { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
.bad { color: #a40000; font-weight: bold; } .ok { color: #196119; } .noise { color: #7a5a00; }
.case { border: 1px solid #ddd; border-radius: 6px; padding: 1rem; margin: 1rem 0; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; white-space: pre-wrap;
      word-break: break-all; font-size: .85rem; }
code { font-size: .85rem; }
"""

MAX_BODY = 8000


def _render_exchange(title: str, exchange: Exchange | None) -> str:
    if exchange is None:
        return f"<div><h4>{escape(title)}</h4><p>no answer</p></div>"
    response = exchange.response
    body = response.body[:MAX_BODY].decode("utf-8", errors="replace")
    with contextlib.suppress(ValueError):
        body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers)
    rows = ""
    if exchange.rows is not None:
        changed = (
            json.dumps(exchange.rows.as_document(), indent=2, default=str)
            if exchange.rows
            else "none"
        )
        rows = f"<h5>rows changed</h5><pre>{escape(changed)}</pre>"
    return (
        f"<div><h4>{escape(title)}</h4>"
        f"<pre>HTTP {response.status}\n{escape(headers)}\n\n{escape(body)}</pre>{rows}</div>"
    )


def _render_case(run: ParityRun, outcome: CaseOutcome) -> str:
    items = "".join(
        f"<li class='bad'><code>{escape(str(d))}</code></li>" for d in outcome.comparison.real
    )
    if outcome.error:
        items += f"<li class='bad'>error: {escape(outcome.error)}</li>"
    if outcome.verdict == BOTH_FAILED and outcome.legacy and outcome.new:
        items += (
            f"<li class='bad'>both failed: legacy answered {outcome.legacy.response.status}, "
            f"new answered {outcome.new.response.status}</li>"
        )
    noise = "".join(
        f"<li class='noise'><code>{escape(str(d))}</code> (noise)</li>"
        for d in outcome.comparison.noise
    )
    return (
        f"<div class='case'><h3>{escape(outcome.case.label)} as {escape(outcome.identity)}</h3>"
        f"<ul>{items}{noise}</ul>"
        f"<p>Reproduce on legacy:</p><pre>{escape(outcome.request.curl(run.legacy_base))}</pre>"
        f"<p>Reproduce on new:</p><pre>{escape(outcome.request.curl(run.new_base))}</pre>"
        f"<div class='sides'>{_render_exchange('legacy', outcome.legacy)}"
        f"{_render_exchange('new', outcome.new)}</div></div>"
    )


def render_html(run: ParityRun) -> str:
    summaries = run.summaries()
    rows = "".join(
        f"<tr><td><a href='#r{i}'>{escape(s.route)}</a></td><td>{s.cases}</td>"
        f"<td class='ok'>{s.equal}</td>"
        f"<td class='{'bad' if s.differing else ''}'>{s.differing}</td>"
        f"<td class='noise'>{s.noise}</td>"
        f"<td class='{'bad' if s.both_failed else ''}'>{s.both_failed}</td>"
        f"<td class='{'bad' if s.errors else ''}'>{s.errors}</td></tr>"
        for i, s in enumerate(summaries)
    )
    sections = []
    for i, summary in enumerate(summaries):
        outcomes = [
            o
            for o in run.outcomes
            if route_key(o.case) == summary.route and o.verdict in FAILING_VERDICTS
        ]
        noisy = ", ".join(f"<code>{escape(p)}</code>" for p in summary.noisy_paths) or "none"
        cases = "".join(_render_case(run, o) for o in outcomes) or "<p class='ok'>no difference</p>"
        sections.append(
            f"<h2 id='r{i}'>{escape(summary.route)}</h2><p>Noise measured (legacy differs from "
            f"itself): {noisy}</p>{cases}"
        )
    verdict = (
        f"<p class='bad'>{len(run.differing)} case(s) differ</p>"
        if run.differing
        else "<p class='ok'>no real difference</p>"
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>strangler parity report</title><style>{STYLE}</style></head><body>"
        f"<h1>strangler parity report</h1>{verdict}"
        f"<p>legacy: <code>{escape(run.legacy_base)}</code>, "
        f"new: <code>{escape(run.new_base)}</code>, "
        f"seed: {escape(str(run.seed))}, identities: {escape(', '.join(run.identities))}, "
        f"rows compared: {'yes' if run.rows_compared else 'no'}</p>"
        "<table><tr><th>route</th><th>cases</th><th>equal</th><th>differing</th><th>noise</th>"
        "<th>both failed</th>"
        f"<th>errors</th></tr>{rows}</table>{''.join(sections)}</body></html>\n"
    )


def write_html(run: ParityRun, path: Path) -> None:
    path.write_text(render_html(run))
