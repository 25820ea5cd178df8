"""Running Django rules on snippets and on the django_blog example."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from textwrap import dedent
from typing import Any

from codemods.engine.findings import Finding, FindingLog
from codemods.engine.registry import Registry
from codemods.engine.rule import Rule
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from tests.codemods.support import REPO_ROOT

BLOG = REPO_ROOT / "legacy_examples" / "django_blog"


def convert(before: str, rules: Sequence[type[Rule]], **state: Any) -> tuple[str, list[Finding]]:
    """Run the rules through the engine, as a small Django registry holding only them would."""
    registry = Registry("django", list(rules))
    state.setdefault("module_path", ("blog", "models.py"))
    code, context = transform_source(dedent(before), registry.rules, state=ModuleState(**state))
    log = FindingLog.of(context)
    failures = [note for note in log.module_notes if "failed" in note]
    assert not failures, failures
    return code, log.entries


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
