"""Files a test run must not leave in the checkout: names that are SQLite URIs.

`file:memorydb_default` is what an SQLAlchemy URL made of Django's in-memory test database
(`sqlite:///file:memorydb_default?mode=memory&cache=shared`) opens without `uri=true`: a file in
the working folder instead of the shared in-memory database. tests/conftest.py fails the run
when one appears.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
URI_PREFIX = "file:"


def present() -> set[Path]:
    """The files named like an SQLite URI in the repository root and the working folder."""
    return {
        path.resolve()
        for folder in {REPO_ROOT, Path.cwd()}
        for path in folder.glob(f"{URI_PREFIX}*")
    }


def report(paths: set[Path]) -> list[str]:
    return [
        f"stray file {path}: an SQLite URI opened as a file name (pass uri=True, or add uri=true "
        "to the SQLAlchemy URL)"
        for path in sorted(paths)
    ]
