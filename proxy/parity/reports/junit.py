"""JUnit XML: a test suite per route, a test case per (case, identity); a real difference is a
failure, so is a case where both sides failed with 5xx, a side that could not answer is an error,
noise is written to system-out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from proxy.parity.runner import BOTH_FAILED, ParityRun, route_key


def junit_tree(run: ParityRun) -> ET.ElementTree:
    root = ET.Element("testsuites", name="strangler parity")
    suites: dict[str, ET.Element] = {}
    for summary in run.summaries():
        suites[summary.route] = ET.SubElement(
            root,
            "testsuite",
            name=summary.route,
            tests=str(summary.cases),
            failures=str(summary.differing + summary.both_failed),
            errors=str(summary.errors),
            skipped="0",
        )
    for outcome in run.outcomes:
        case = ET.SubElement(
            suites[route_key(outcome.case)],
            "testcase",
            classname=f"parity.{route_key(outcome.case)}",
            name=f"{outcome.case.label} as {outcome.identity}",
        )
        verdict = outcome.verdict
        if verdict == "error":
            error = ET.SubElement(case, "error", message=outcome.error or "error")
            error.text = outcome.request.curl(run.legacy_base)
        elif verdict == "differing":
            real = outcome.comparison.real
            failure = ET.SubElement(case, "failure", message=str(real[0]), type="ParityDifference")
            failure.text = "\n".join(
                [
                    *(str(d) for d in real),
                    "",
                    "reproduce:",
                    outcome.request.curl(run.legacy_base),
                    outcome.request.curl(run.new_base),
                ]
            )
        elif verdict == BOTH_FAILED and outcome.legacy and outcome.new:
            message = (
                f"both failed: legacy answered {outcome.legacy.response.status}, "
                f"new answered {outcome.new.response.status}"
            )
            failure = ET.SubElement(case, "failure", message=message, type="ParityBothFailed")
            failure.text = "\n".join(
                [message, "", "reproduce:", outcome.request.curl(run.legacy_base),
                 outcome.request.curl(run.new_base)]
            )  # fmt: skip
        elif verdict == "noise":
            out = ET.SubElement(case, "system-out")
            out.text = "noise: " + "; ".join(str(d) for d in outcome.comparison.noise)
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(run: ParityRun, path: Path) -> None:
    junit_tree(run).write(path, encoding="utf-8", xml_declaration=True)
