"""The sandbox's state folders (where the apps write: the instance folder, the databases, the
child's working folder), saved once the legacy app is prepared and put back before the new side
runs, so that both sides start from the same state.

Putting back keeps each SQLite database's file: its saved pages are written into it through
SQLite's backup API, so a connection an app opened before (one the generated app opened while it
was built, ahead of the legacy calls: buku's `BukuDb`) reads the saved rows from its next
statement, as it would not from a new file put in its place. Every other file is copied back,
and what the calls added is removed, but for a SQLite database this process holds open (one an
app created on its first request, flask-monitoringdashboard's): removed, its connections would
go on in a deleted file that the new side's code no longer finds (its size asked: 500; its
writes failing and retried after a sleep), so it stays as the calls left it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def save_state(folders: list[str]) -> list[tuple[Path, Path]]:
    """Each folder and the copy of it kept beside it (`<name>.saved`; none when it is missing)."""
    saved = []
    for folder in map(Path, folders):
        backup = folder.with_name(folder.name + ".saved")
        if folder.exists():
            shutil.copytree(folder, backup)
        saved.append((folder, backup))
    return saved


def restore_state(saved: list[tuple[Path, Path]]) -> None:
    for folder, backup in saved:
        if not backup.exists():
            shutil.rmtree(folder, ignore_errors=True)
        elif not folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(backup, folder)
        else:
            _put_back(folder, backup)


def _put_back(folder: Path, backup: Path) -> None:
    kept = {path.relative_to(backup) for path in backup.rglob("*")}
    databases = {r for r in kept if _is_sqlite(backup / r) and _is_sqlite(folder / r)}
    # a database's journal, WAL and shared-memory files belong to its open connections: SQLite
    # keeps them in step with the pages the backup writes
    held = _held_databases(folder, kept)
    own = {
        r.with_name(r.name + suffix) for r in databases | held for suffix in SQLITE_SIDE_FILES
    } | held
    for path in sorted(folder.rglob("*"), reverse=True):  # a folder's files before the folder
        relative = path.relative_to(folder)
        if relative not in kept and relative not in own:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
    for relative in sorted(kept - own):
        source, target = backup / relative, folder / relative
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif relative not in databases or not _copied_in_place(source, target):
            shutil.copy2(source, target)


def _held_databases(folder: Path, kept: set[Path]) -> set[Path]:
    """The SQLite databases the calls added under `folder` that this process holds open (none
    where /proc does not list its open files). Open files are read only when there is one."""
    added = {
        path.resolve()
        for path in folder.rglob("*")
        if path.relative_to(folder) not in kept and path.is_file() and _is_sqlite(path)
    }
    if not added:
        return set()
    root = folder.resolve()
    return {path.relative_to(root) for path in added & _open_files()}


def _open_files() -> set[Path]:
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return set()
    files = set()
    for descriptor in descriptors:
        try:
            files.add(Path(os.readlink(f"/proc/self/fd/{descriptor}")))
        except OSError:  # closed since (the listing's own)
            continue
    return files


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _copied_in_place(source: Path, target: Path) -> bool:
    """The database `source` written into the file `target` (False: SQLite refused)."""
    try:
        origin = sqlite3.connect(source, timeout=10)
        destination = sqlite3.connect(target, timeout=10)
    except sqlite3.Error:
        return False
    try:
        origin.backup(destination)
        return True
    except sqlite3.Error:
        return False
    finally:
        origin.close()
        destination.close()
