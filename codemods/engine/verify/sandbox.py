"""Where verification runs: a temporary copy of the legacy package (so its instance folder, its
SQLite files and anything it writes at start-up land in the copy) and an environment pointing
the database at a copy or at an empty one. Nothing of the user's is written to."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from codemods.engine.verify import kept_copies

DATABASE_VARIABLES = ("STRANGLER_DATABASE_URL", "DATABASE_URL", "SQLALCHEMY_DATABASE_URI")
_IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".git", ".hg", ".venv", "venv", "node_modules", ".mypy_cache"
)


@dataclass
class Sandbox:
    folder: Path
    legacy_path: Path  # goes first on sys.path: holds the copy of the legacy package
    state: list[Path]  # folders the apps may write to: restored between the two sides
    env: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # the copy of the legacy tree, kept for the next run at `remove` (kept_copies.py): its name
    # there and its manifest; None when it is not kept
    kept: tuple[str, kept_copies.Manifest] | None = None


def create(legacy_root: Path, legacy_package: str, parent: Path | None = None) -> Sandbox:
    """Copy the top-level package of the dotted `legacy_package` (whose folder is `legacy_root`)
    into a new temporary folder, with the instance folder Flask finds beside it. A subpackage
    (`lektor.admin`) gets its whole top-level package copied: the copy goes first on sys.path,
    so a partial one would hide the installed package's other modules."""
    folder = Path(tempfile.mkdtemp(prefix="strangler-verify-", dir=parent))
    legacy_path = folder / "legacy"
    parts = legacy_package.split(".")
    top = legacy_root.resolve()
    for _ in parts[1:]:
        top = top.parent
    from codemods.engine.verify.warm import enabled

    instance = top.parent / "instance"
    sources = {parts[0]: top}
    if instance.is_dir():
        sources["instance"] = instance
    kept = copy_legacy(sources, legacy_path, keeping=parent is None and enabled())
    work = folder / "work"  # the child's working folder: what the apps write there is state
    work.mkdir()
    sandbox = Sandbox(folder, legacy_path, [legacy_path / "instance", folder / "db", work])
    sandbox.kept = kept
    if "instance" in sources:
        sandbox.notes.append(f"a copy of {instance}")
    (folder / "db").mkdir()
    sandbox.env = environment(sandbox)
    return sandbox


def copy_legacy(
    sources: dict[str, Path], legacy_path: Path, keeping: bool
) -> tuple[str, kept_copies.Manifest] | None:
    """Each source folder copied to `legacy_path / name`: from the copy an earlier run kept when
    `keeping` (kept_copies.py), else afresh. What to keep at `remove`, if anything."""
    if not keeping:
        for name, source in sources.items():
            shutil.copytree(source, legacy_path / name, ignore=_IGNORED)
        return None
    name = kept_copies.key(sources)
    store = kept_copies.folder()
    manifest = kept_copies.take(store, name, legacy_path)
    if manifest is not None:
        try:
            return name, kept_copies.refresh(sources, legacy_path, _IGNORED, manifest)
        except (kept_copies.NotKept, OSError):  # set aside (a folder the app made read-only
            discarded = legacy_path.with_name("legacy.discarded")  # may not empty): copy afresh
            os.rename(legacy_path, discarded)
            shutil.rmtree(discarded, ignore_errors=True)
    try:
        return name, kept_copies.copy(sources, legacy_path, _IGNORED)
    except kept_copies.NotKept:
        return None


def environment(sandbox: Sandbox) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DATABASE_VARIABLES}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for key in DATABASE_VARIABLES:
        url = os.environ.get(key)
        if not url:
            continue
        copy = _sqlite_copy(url, sandbox.folder / "db")
        if copy is not None:
            env[key] = copy
            sandbox.notes.append(f"${key}: a copy of the SQLite file")
        else:
            sandbox.notes.append(f"${key} left out: an empty database in the sandbox instead")
    return env


def _sqlite_copy(url: str, folder: Path) -> str | None:
    """`sqlite:///copy` of a SQLite file URL (the file copied into `folder`), else None."""
    scheme, _, rest = url.partition(":///")
    if not scheme.startswith("sqlite") or not rest:
        return None
    source = Path(rest.split("?", 1)[0])
    target = folder / source.name
    if source.is_file():
        shutil.copyfile(source, target)
    return f"{scheme}:///{target}"


def remove(sandbox: Sandbox, keep: bool = True) -> None:
    """Remove the sandbox; its copy of the legacy tree is kept for the next run unless `keep` is
    False (a child that may still be writing to it)."""
    if keep and sandbox.kept is not None:
        name, manifest = sandbox.kept
        kept_copies.put_back(kept_copies.folder(), name, sandbox.legacy_path, manifest)
    shutil.rmtree(sandbox.folder, ignore_errors=True)
