"""The corpus summary: one line per published app and a total, after the test run.

Each app's figures travel in its coverage test's report (`user_properties`), so the summary is
printed by the controlling process under pytest-xdist too; tests/conftest.py calls `print_summary`
(a conftest below tests/ is not loaded by the xdist controller of a plain `pytest` run).
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.corpus_report import Figures

TARGET_CONVERTED = 50.0
TARGET_REPORTED = 100.0


def collected_figures(terminalreporter: Any) -> list[Figures]:
    found: dict[str, Figures] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "corpus_figures":
                    figures = Figures(**json.loads(value))
                    found[figures.app] = figures
    return [found[key] for key in sorted(found)]


def render(rows: list[Figures]) -> list[str]:
    """One table with its total per framework (a heading above each when there are several)."""
    frameworks = sorted({row.framework for row in rows})
    if len(frameworks) == 1:
        return render_one(rows)
    lines: list[str] = []
    for framework in frameworks:
        lines.append(f"{framework}:")
        lines.extend(render_one([row for row in rows if row.framework == framework]))
    return lines


def render_one(rows: list[Figures]) -> list[str]:
    header = (
        f"{'app':32} {'url_map':>7} {'in report':>9} {'routes':>6} {'converted':>9} "
        f"{'verified':>8} {'unverif.':>8} {'partial':>7} {'manual':>6} {'% conv':>6}"
    )
    lines = [header]
    for row in rows:
        verified = "n/a" if row.verified is None else str(row.verified)
        url_map = "-" if row.url_map is None else str(row.url_map)
        lines.append(
            f"{row.app:32} {url_map:>7} {row.reported:>9} {row.routes:>6} {row.converted:>9} "
            f"{verified:>8} {row.unverified:>8} {row.partial:>7} {row.manual:>6} "
            f"{row.percent_converted:>5.0f}%" + (f"  ({row.note})" if row.note else "")
        )
    known = [r for r in rows if r.url_map is not None]
    url_map = sum(r.url_map or 0 for r in known)
    reported = sum(r.reported for r in known)
    routes = sum(r.routes for r in rows)
    converted = sum(r.converted for r in rows)
    has_verified = all(r.verified is not None for r in rows)
    good = sum(r.verified or 0 for r in rows) if has_verified else converted
    percent = 100.0 * good / routes if routes else 0.0
    reported_percent = 100.0 * reported / url_map if url_map else 0.0
    lines.append(
        f"{'total':32} {url_map:>7} {reported:>9} {routes:>6} {converted:>9} "
        f"{(str(good) if has_verified else 'n/a'):>8} {sum(r.unverified for r in rows):>8} "
        f"{sum(r.partial for r in rows):>7} "
        f"{sum(r.manual for r in rows):>6} {percent:>5.0f}%"
    )
    lines.append(
        f"routes in url_map: {url_map}, in report: {reported} ({reported_percent:.0f} %, target "
        f"{TARGET_REPORTED:.0f} %); converted"
        + (" and verified" if has_verified else " (verification unavailable in this report)")
        + f": {percent:.0f} % of route entries (target {TARGET_CONVERTED:.0f} %)"
    )
    return lines


def print_summary(terminalreporter: Any) -> None:
    rows = collected_figures(terminalreporter)
    if not rows:
        return
    terminalreporter.section("corpus: the codemods on published apps")
    for line in render(rows):
        terminalreporter.write_line(line)
