"""Generated modules go through ruff (import sorting, unused imports, formatting) when ruff is
installed: an import left unused by a conversion (the legacy call it served became a comment or
moved to another module) is removed, as ruff's safe fix does it.

All modules of a run are formatted by one ruff process, in a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

AMBIGUOUS = "RUF001,RUF002,RUF003"


def ruff_executable() -> str | None:
    beside = Path(sys.executable).parent / "ruff"
    if beside.exists():
        return str(beside)
    return shutil.which("ruff")


def format_sources(
    sources: dict[str, str], first_party: list[str], line_length: int = 100
) -> dict[str, str]:
    """Relative path -> code, sorted and formatted; unchanged when ruff is missing or fails."""
    ruff = ruff_executable()
    if ruff is None or not sources:
        return sources
    with tempfile.TemporaryDirectory(prefix="strangler-format-") as folder:
        root = Path(folder)
        for relative, code in sources.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code, encoding="utf-8")
        known = ", ".join(f'"{name}"' for name in first_party)
        common = ["--isolated", "--line-length", str(line_length), "--target-version", "py311"]
        subprocess.run(
            [
                ruff,
                "check",
                "--fix",
                "--quiet",
                "--exit-zero",
                *common,
                "--select",
                "I,F401",
                "--config",
                f"lint.isort.known-first-party = [{known}]",
                ".",
            ],
            cwd=root,
            capture_output=True,
            check=False,
        )
        subprocess.run(
            [ruff, "format", "--quiet", *common, "."], cwd=root, capture_output=True, check=False
        )
        # Legacy strings and comments are copied as they are: ambiguous characters in them (a
        # multiplication sign in a message) are the legacy app's text, marked, not changed.
        # Only characters outside ASCII are ambiguous: an all-ASCII output needs no such pass.
        if not all(code.isascii() for code in sources.values()):
            subprocess.run(
                [ruff, "check", "--add-noqa", "--quiet", *common, "--select", AMBIGUOUS, "."],
                cwd=root,
                capture_output=True,
                check=False,
            )
        return {relative: (root / relative).read_text(encoding="utf-8") for relative in sources}
