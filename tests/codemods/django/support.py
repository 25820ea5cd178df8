"""Running Django rules on snippets, on a small legacy project in a folder (analysed as the
command analyses SRC), and on the django_blog example."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from textwrap import dedent
from typing import Any

from codemods.django.analysis import DjangoAnalysis, analyse
from codemods.django.registry import REGISTRY
from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, FindingLog
from codemods.engine.registry import Registry
from codemods.engine.rule import Rule
from codemods.engine.runner import resolve_target, transform_source
from codemods.engine.state import ModuleState
from tests.codemods.support import REPO_ROOT

BLOG = REPO_ROOT / "legacy_examples" / "django_blog"
PACKAGE = "legacyproj"  # the dotted package the snippets' project stands for


def convert(before: str, rules: Sequence[type[Rule]], **state: Any) -> tuple[str, list[Finding]]:
    """Run the rules through the engine, as a small Django registry holding only them would."""
    registry = Registry("django", list(rules))
    state.setdefault("module_path", ("blog", "models.py"))
    code, context = transform_source(dedent(before), registry.rules, state=ModuleState(**state))
    log = FindingLog.of(context)
    failures = [note for note in log.module_notes if "failed" in note]
    assert not failures, failures
    return code, log.entries


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


def routes_of(root: Path) -> dict[str, Finding]:
    """The route findings, by route name, of the URLconf `app/urls.py` of the project at `root`."""
    _, findings = convert_module(root, "app/urls.py", [UrlsRule])
    return {f.details.get("name", ""): f for f in findings if f.kind == "route"}


def load(code: str, name: str) -> types.ModuleType:
    """The generated code as an importable module."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(code, name, "exec"), module.__dict__)
    return module


def run_django(database: Path | str, script: str) -> str:
    """`script` run in a process of its own with the blog's settings on `database`: a SQLite
    file, or a PostgreSQL URL."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "legacy_examples.django_blog.config.settings"}
    env.pop("DATABASE_URL", None)
    if isinstance(database, Path):
        env["DJANGO_BLOG_DB"] = str(database)
    else:
        env["DATABASE_URL"] = database
    code = "import django\ndjango.setup()\n" + dedent(script)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def converted_and_asked(
    root: Path, site: str, project: dict[str, str], settings: str, sides: str
) -> dict[str, Any]:
    """`strangler codemod django SITE --out generated --settings SETTINGS` on the project written
    to `root/SITE` (its database, `$<SITE>_DB`, a file of its own), then `sides` (a script asking
    Django and the generated app the same requests on another database and printing a JSON
    line) in a fresh process: the report's routes by name and what the script printed."""
    from typer.testing import CliRunner

    from proxy.cli import app

    write_project(root / site, project)
    report = root / "report.json"
    database = f"{site.upper()}_DB"
    previous = Path.cwd()
    os.environ[database] = str(root / "verify.sqlite3")
    os.chdir(root)
    try:
        arguments = [site, "--out", "generated", "--report", str(report), "--settings", settings]
        result = CliRunner().invoke(app, ["codemod", "django", *arguments])
    finally:
        os.chdir(previous)
        del os.environ[database]
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, database: str(root / "sides.sqlite3")}
    env["PYTHONPATH"] = os.pathsep.join([str(root), str(REPO_ROOT)])
    done = subprocess.run(
        [sys.executable, "-c", sides], cwd=root, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return {
        "routes": {e["name"]: e for e in entries if e["kind"] == "route"},
        "sides": json.loads(done.stdout.strip().splitlines()[-1]),
    }
