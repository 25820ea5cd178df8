"""The sandbox's copy of the legacy tree, kept between verification runs. Each run copied the
legacy tree afresh (the example shop: the 81 files of `legacy_examples`, about 0.06 s of CPU,
mostly the file system creating files: a sixth of what verifying costs the shop). A run now
takes the copy the previous run left and brings it back to what a fresh copy holds:

- an entry the sources no longer have, or the app wrote (a new file, its `instance` folder, the
  saved state), is removed;
- a file is copied again (`shutil.copy2`, as `copytree` copies it) unless both it and its
  source have the very signature (inode, size, modification and change times, mode) they had
  when it was copied: a write, a `chmod` or a replacement changes the copy's change time, which
  no process can set back; an edit of the source changes the source's;
- a folder gets its source's mode and times again (`shutil.copystat`, as `copytree` ends).

A tree holding a symbolic link or a special file is copied afresh each run (as before), as is
every tree when `STRANGLER_VERIFY_WARM=0`. One copy is kept per legacy tree, beside the warm
verification server's socket (`strangler-verify-warm-<uid>/kept-copies`, the newest `KEPT`);
a run takes it and puts it back by renaming it (atomic: two runs at once never share a copy,
the second copies afresh).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

KEPT = 8
FORMAT = "1"

Ignore = Callable[[str, list[str]], Iterable[str]]
Signature = list[int]
# relative path of a copied file -> [its source's signature, its own]
Manifest = dict[str, list[Signature]]


class NotKept(Exception):
    """The tree holds what this module does not bring up to date (a link, a special file)."""


def signature(status: os.stat_result) -> Signature:
    return [
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_mode,
    ]


def key(sources: dict[str, Path]) -> str:
    text = "\0".join([FORMAT, *(f"{name}\0{path}" for name, path in sorted(sources.items()))])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def folder() -> Path:
    from codemods.engine.verify.warm import server_folder

    found = server_folder() / "kept-copies"
    found.mkdir(mode=0o700, exist_ok=True)
    return found


def take(store: Path, name: str, target: Path) -> Manifest | None:
    """Move the kept copy `name` of `store` to `target` (which must not exist); its manifest,
    or None when none is kept (or another run holds it)."""
    claimed = target.with_name(target.name + ".kept")
    try:
        os.rename(store / name, claimed)
    except OSError:
        return None
    try:
        manifest = json.loads((claimed / "manifest.json").read_text(encoding="utf-8"))
        os.rename(claimed / "tree", target)
    except (OSError, ValueError):
        shutil.rmtree(target, ignore_errors=True)
        return None
    finally:
        shutil.rmtree(claimed, ignore_errors=True)
    return manifest if isinstance(manifest, dict) else None


def put_back(store: Path, name: str, tree: Path, manifest: Manifest) -> bool:
    """Keep `tree` (with its manifest) as the copy `name` of `store`; False when one is kept
    already (the caller removes `tree`)."""
    staging = tree.with_name(tree.name + ".keep")
    try:
        staging.mkdir()
        (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        os.rename(tree, staging / "tree")
        os.rename(staging, store / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.rename(staging / "tree", tree)
        shutil.rmtree(staging, ignore_errors=True)
        return False
    prune(store)
    return True


def prune(store: Path) -> None:
    """All but the newest `KEPT` copies go (each taken by a rename first, as a run takes it)."""
    with contextlib.suppress(OSError):
        entries = sorted(store.iterdir(), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEPT]:
            trash = store.parent / f"kept-copies-{uuid.uuid4().hex}.trash"
            with contextlib.suppress(OSError):
                os.rename(old, trash)
                shutil.rmtree(trash, ignore_errors=True)


def copy(sources: dict[str, Path], target: Path, ignore: Ignore) -> Manifest:
    """A fresh copy of each source folder under `target` (`target / name`), as `copytree`
    makes it, and its manifest (NotKept: the tree cannot be kept; the copy is made all the
    same)."""
    target.mkdir(parents=True, exist_ok=True)
    for name, source in sources.items():
        shutil.copytree(source, target / name, ignore=ignore)
    manifest: Manifest = {}
    for name, source in sources.items():
        record(source, target / name, name, ignore, manifest)
    return manifest


def record(source: Path, copied: Path, relative: str, ignore: Ignore, manifest: Manifest) -> None:
    """Put the files of the fresh copy `copied` of `source` in `manifest`."""
    if source.is_symlink():
        raise NotKept(str(source))
    for entry in kept_entries(source, ignore):
        where = f"{relative}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            record(Path(entry.path), copied / entry.name, where, ignore, manifest)
        else:
            mine = os.stat(copied / entry.name, follow_symlinks=False)
            manifest[where] = [signature(entry.stat(follow_symlinks=False)), signature(mine)]


def kept_entries(source: Path, ignore: Ignore) -> list[os.DirEntry[str]]:
    """The entries of `source` that `copytree` copies; NotKept when one is neither a plain
    file nor a folder."""
    with os.scandir(source) as found:
        entries = list(found)
    ignored = set(ignore(str(source), [entry.name for entry in entries]))
    kept = []
    for entry in entries:
        if entry.name in ignored:
            continue
        if not (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)):
            raise NotKept(entry.path)
        kept.append(entry)
    return kept


def refresh(sources: dict[str, Path], target: Path, ignore: Ignore, manifest: Manifest) -> Manifest:
    """Bring the kept copy `target` back to what `copy(sources, target, ignore)` makes; the new
    manifest (NotKept: the sources hold what cannot be kept; `target` is then unfinished)."""
    fresh: Manifest = {}
    with os.scandir(target) as found:
        for entry in found:
            if entry.name not in sources:
                remove(Path(entry.path))
    for name, source in sources.items():
        if source.is_symlink():
            raise NotKept(str(source))
        sync(source, target / name, name, ignore, manifest, fresh)
    return fresh


def sync(
    source: Path, copied: Path, relative: str, ignore: Ignore, manifest: Manifest, fresh: Manifest
) -> None:
    try:
        mine = os.stat(copied, follow_symlinks=False)
    except FileNotFoundError:
        mine = None
    if mine is None or not stat.S_ISDIR(mine.st_mode):
        if mine is not None:
            remove(copied)
        shutil.copytree(source, copied, ignore=ignore)
        record(source, copied, relative, ignore, fresh)
        return
    entries = kept_entries(source, ignore)
    names = {entry.name for entry in entries}
    with os.scandir(copied) as found:
        for entry in found:
            if entry.name not in names:
                remove(Path(entry.path))
    for entry in entries:
        where = f"{relative}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            sync(Path(entry.path), copied / entry.name, where, ignore, manifest, fresh)
            continue
        theirs = signature(entry.stat(follow_symlinks=False))
        target = copied / entry.name
        try:
            current = signature(os.stat(target, follow_symlinks=False))
        except FileNotFoundError:
            current = None
        if current is None or manifest.get(where) != [theirs, current]:
            if current is not None:
                remove(target)
            shutil.copy2(entry.path, target)
            current = signature(os.stat(target, follow_symlinks=False))
        fresh[where] = [theirs, current]
    shutil.copystat(source, copied)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
