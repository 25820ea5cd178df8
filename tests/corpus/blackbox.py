"""The corpus black-box tests' one step: a published Django app converted unedited (`strangler
codemod django --no-verify`) into a package of its own, then a script asking Django and the
generated app the same requests, run in the app's venv; what the script printed last (JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.corpus import App, prepare_or_skip

CLI = "import sys; from proxy.cli import main; sys.argv[0] = 'strangler'; main()"


def asked_both(app: App, work: Path, package: str, script: str) -> Any:
    """`script` (it imports `package`, the codemod's output) run on the app's site settings."""
    prepared = prepare_or_skip(app)
    source, settings = prepared.app.source, prepared.app.settings
    argv = ["-c", CLI, "codemod", "django", source, "--out", str(work / package)]
    converted = prepared.run([*argv, "--settings", settings, "--no-verify"], timeout=900)
    assert converted.returncode == 0, converted.stdout[-2000:] + converted.stderr[-2000:]
    scratch = work / "scratch"  # the site's SQLite database is made in the working folder
    scratch.mkdir()
    env = {"DJANGO_SETTINGS_MODULE": settings, "PYTHONDONTWRITEBYTECODE": "1"}
    ran = prepared.run(
        ["-c", f"import sys; sys.path.insert(0, {str(work)!r})\n{script}"], cwd=scratch, env=env
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    return json.loads(ran.stdout.strip().splitlines()[-1])
