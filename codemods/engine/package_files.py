"""The Python files of a legacy package, listed once per run.

The package scans (guard and view decorators, context processors, flask-login's set-up) key
their caches by each file's path and modification time, and are asked from every module, some
from every view: listing the folder each time (`rglob`, `resolve`, `stat`) cost lemur-sized
packages more than the scans themselves. Within a run (`parsed.shared_for_run`) the listing is
kept: the codemod writes nothing before every module is converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codemods.engine.parsed import run_memo


@dataclass(frozen=True)
class PythonFile:
    path: Path  # as found under the root (`root / relative`)
    resolved: Path
    mtime_ns: int


def python_files(root: Path) -> tuple[PythonFile, ...]:
    """Every `*.py` file under `root`, in `rglob`'s order; within a run, listed once."""
    memo = run_memo()
    key = (python_files, str(root))
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    found = tuple(
        PythonFile(path, path.resolve(), path.stat().st_mtime_ns)
        for path in (root.rglob("*.py") if root.is_dir() else ())
    )
    if memo is not None:
        memo[key] = found
    return found


def stamps(files: tuple[PythonFile, ...] | list[PythonFile]) -> tuple[tuple[str, int], ...]:
    """(resolved path, modification time) of each file, sorted by resolved path: a cache key."""
    return tuple((str(f.resolved), f.mtime_ns) for f in sorted(files, key=lambda f: f.resolved))
