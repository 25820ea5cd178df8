"""Before/after helpers for the Django rules: a small legacy project in a folder, analysed as
the command analyses SRC, then one module converted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from textwrap import dedent

from codemods.django.analysis import DjangoAnalysis, analyse
from codemods.django.registry import REGISTRY
from codemods.engine.findings import Finding, FindingLog
from codemods.engine.rule import Rule
from codemods.engine.runner import resolve_target, transform_source
from codemods.engine.state import ModuleState

PACKAGE = "legacyproj"  # the dotted package the snippets' project stands for


def write_project(root: Path, files: dict[str, str]) -> Path:
    for name, code in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(code), encoding="utf-8")
    return root


def project_analysis(root: Path, settings: str | None = None) -> DjangoAnalysis:
    return analyse(resolve_target(str(root)), settings=settings)


def convert_module(
    root: Path, module: str, rules: Sequence[type[Rule]] | None = None
) -> tuple[str, list[Finding]]:
    """Rules (all Django rules by default, else these with what they require) on `module` of
    the project at `root`; the code and findings."""
    analysis = project_analysis(root)
    chosen = REGISTRY.rules if rules is None else REGISTRY.resolve(rules)
    state = ModuleState(
        module_path=tuple(module.split("/")), source_package=PACKAGE, analysis=analysis
    )
    code, context = transform_source(
        (root / module).read_text(encoding="utf-8"), chosen, state=state
    )
    log = FindingLog.of(context)
    failures = [note for note in log.module_notes if "failed" in note]
    assert not failures, failures
    return code, log.entries
