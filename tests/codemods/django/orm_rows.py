"""Round trips of querysets on a small Django app `forum`: its models converted by
`strangler codemod django --only django_models`, and the same querysets run on Django's ORM in a
process of its own, to compare with what the codemod's statements give on the generated models."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

APP = "forum"
# the app's settings: its database in `$DB`
SETTINGS = """
    import os
    SECRET_KEY = "test"
    INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "forum"]
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DB"]}}
    USE_TZ = True
"""


@contextmanager
def converted_models(root: Path, files: dict[str, str]) -> Iterator[tuple[Path, ModuleType]]:
    """The app `files` written to `root/legacy/forum`, its models converted to `root/out/forum`:
    the legacy app's folder and the generated models module, importable as `forum.models` until
    the block ends."""
    project = write_project(root / "legacy" / APP, files)
    out = root / "out" / APP
    result = CliRunner().invoke(
        app,
        ["codemod", "django", str(project), "--out", str(out), "--only", "django_models",
         "--no-verify"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sys.path.insert(0, str(out.parent))
    try:
        yield project, importlib.import_module(f"{APP}.models")
    finally:
        sys.path.remove(str(out.parent))
        for name in [m for m in sys.modules if m == APP or m.startswith(f"{APP}.")]:
            del sys.modules[name]


def django_results(
    project: Path,
    database: Path,
    setup: Sequence[str],
    querysets: Sequence[str],
    each: str,
    env: dict[str, str] | None = None,
) -> Any:
    """`each` (an expression of `q`, a queryset's text) for each queryset on Django's ORM, by
    queryset: in a process of its own with the app's settings on `database` (`$DB`, and `env`),
    once migrated and `setup` (code writing the rows, defining what `each` calls) has run."""
    script = "\n".join(
        [
            "import django, json",
            "django.setup()",
            "from django.core.management import call_command",
            'call_command("migrate", run_syncdb=True, verbosity=0)',
            *setup,
            f"querysets = {list(querysets)!r}",
            f"print(json.dumps({{q: {each} for q in querysets}}))",
        ]
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"{APP}.settings",
        "DB": str(database),
        **(env or {}),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project.parent, env=environ, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def bind_imports(names: dict[str, Any], imports: Iterable[tuple[str, str]]) -> None:
    """The names a translation imports (`(module, name)` pairs), bound in `names`."""
    for module, name in imports:
        names[name] = getattr(__import__(module, fromlist=[name]), name)
