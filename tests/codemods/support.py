"""Before/after helpers in the style of libcst's `CodemodTest`: source in, source out."""

from __future__ import annotations

from collections.abc import Sequence
from textwrap import dedent

from codemods.engine.findings import Finding, FindingLog
from codemods.engine.rule import Rule
from codemods.engine.runner import transform_source
from codemods.flask.registry import REGISTRY


def convert(
    before: str, rules: Sequence[type[Rule]] | None = None, **scratch: object
) -> tuple[str, list[Finding], list[str]]:
    """Run rules (all Flask rules by default) on a snippet; the code, findings, module notes."""
    code, context = transform_source(
        dedent(before), REGISTRY.rules if rules is None else rules, scratch=dict(scratch)
    )
    log = FindingLog.of(context)
    failures = [note for note in log.module_notes if "failed" in note]
    assert not failures, failures
    return code, log.entries, log.module_notes


def assert_codemod(before: str, after: str, rules: Sequence[type[Rule]]) -> list[Finding]:
    code, findings, _ = convert(before, rules)
    assert code == dedent(after), f"--- got ---\n{code}"
    return findings
