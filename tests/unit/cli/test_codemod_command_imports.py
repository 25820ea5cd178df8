"""`strangler codemod flask|django` imports what the conversion needs and no more."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MINI_SHOP = Path(__file__).parents[2] / "codemods" / "cases" / "mini_shop"
DJANGO_BLOG = Path(__file__).parents[3] / "legacy_examples" / "django_blog"
# libcst.codemod, which brings libcst.matchers (some 0.15 s of a fresh process); jinja2 where no
# view renders a template.
UNNEEDED = ["libcst.codemod", "libcst.matchers", "jinja2"]


@pytest.mark.parametrize(
    ("framework", "source"),
    [("flask", MINI_SHOP), ("django", DJANGO_BLOG)],
)
def test_the_codemod_command_imports_only_what_the_conversion_needs(
    framework: str, source: Path, tmp_path: Path
) -> None:
    code = (
        "import sys\nfrom proxy.cli import main\ntry:\n    main()\nfinally:\n"
        f"    print(sorted(set({UNNEEDED!r}) & set(sys.modules)))"
    )
    argv = ["codemod", framework, str(source), "--out", str(tmp_path / "out"), "--no-verify"]
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert any((tmp_path / "out").rglob("*.py"))
