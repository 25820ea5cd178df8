"""Before/after helpers in the style of libcst's `CodemodTest`: source in, source out."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from textwrap import dedent
from typing import Any

from codemods.engine.findings import Finding, FindingLog
from codemods.engine.rule import Rule
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from codemods.flask.registry import REGISTRY

REPO_ROOT = Path(__file__).resolve().parents[2]


def convert(
    before: str, rules: Sequence[type[Rule]] | None = None, **state: Any
) -> tuple[str, list[Finding], list[str]]:
    """Run rules (all Flask rules by default, else the given ones with the rules they require,
    in registry order) on a snippet, with these `ModuleState` fields; the code, findings,
    module notes."""
    chosen = REGISTRY.rules if rules is None else REGISTRY.resolve(rules)
    code, context = transform_source(dedent(before), chosen, state=ModuleState(**state))
    log = FindingLog.of(context)
    failures = [note for note in log.module_notes if "failed" in note]
    assert not failures, failures
    return code, log.entries, log.module_notes


def assert_codemod(before: str, after: str, rules: Sequence[type[Rule]]) -> list[Finding]:
    code, findings, _ = convert(before, rules)
    assert code == dedent(after), f"--- got ---\n{code}"
    return findings


def convert_example_shop(package_dir: Path) -> list[dict[str, Any]]:
    """`strangler codemod flask legacy_examples/flask_shop --out package_dir --report
    package_dir/../report.json`: the conversion made once per test process
    (`_converted_example_shop`), copied there; the report's entries."""
    converted, report = _converted_example_shop()
    shutil.copytree(converted, package_dir)
    (package_dir.parent / "report.json").write_text(report)
    entries: list[dict[str, Any]] = json.loads(report)
    return entries


@functools.cache
def _converted_example_shop() -> tuple[Path, str]:
    """`strangler codemod flask legacy_examples/flask_shop --out FOLDER --report ...`, run from
    the repository root as a developer would, with the shop's database and secret key pointed at
    a scratch folder; the output folder and the report's text. Kept until the process ends."""
    import pytest
    from typer.testing import CliRunner

    from proxy.cli import app

    scratch = Path(tempfile.mkdtemp(prefix="example-shop-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    out, report = scratch / "flask_shop", scratch / "report.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO_ROOT)
        patch.setenv("DATABASE_URL", f"sqlite:///{scratch / 'shop.db'}")
        patch.setenv("SECRET_KEY", "example-shop-conversion")
        arguments = ["legacy_examples/flask_shop", "--out", str(out), "--report", str(report)]
        result = CliRunner().invoke(app, ["codemod", "flask", *arguments])
    assert result.exit_code == 0, result.output
    return out, report.read_text()
