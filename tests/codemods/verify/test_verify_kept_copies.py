"""The sandbox's copy of the legacy tree kept between runs (`kept_copies.py`): whatever the app
or the user did since, the copy a run takes holds what a fresh copy holds."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from codemods.engine.verify import kept_copies, sandbox

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def tree(folder: Path) -> dict[str, tuple[bytes | None, int, int]]:
    """Each entry: its content (None for a folder), mode and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        status = path.stat()
        content = None if path.is_dir() else path.read_bytes()
        found[str(path.relative_to(folder))] = (content, status.st_mode, status.st_mtime_ns)
    return found


def legacy(root: Path) -> dict[str, Path]:
    files = {
        "shop/__init__.py": "app = 1\n",
        "shop/views.py": "def view(): pass\n",
        "shop/templates/base.html": "<html></html>\n",
        "shop/__pycache__/views.cpython-311.pyc": "x",
        "instance/config.py": "DEBUG = True\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return {"shop": root / "shop", "instance": root / "instance"}


def fresh(sources: dict[str, Path], target: Path) -> dict[str, tuple[bytes | None, int, int]]:
    for name, source in sources.items():
        shutil.copytree(source, target / name, ignore=IGNORE)
    return tree(target)


def test_a_kept_copy_the_app_wrote_to_is_brought_back_to_a_fresh_copy(tmp_path: Path) -> None:
    sources = legacy(tmp_path / "src")
    copy = tmp_path / "copy"
    manifest = kept_copies.copy(sources, copy, IGNORE)
    assert tree(copy) == fresh(sources, tmp_path / "expected")
    (copy / "shop" / "views.py").write_text("def view(): pass\n")  # same text, written again
    (copy / "shop" / "templates" / "base.html").chmod(0o600)
    (copy / "shop" / "new.db").write_text("rows")
    (copy / "instance" / "config.py").unlink()
    shutil.rmtree(copy / "shop" / "templates")
    (copy / "shop" / "templates").write_text("now a file")
    (copy / "instance.saved").mkdir()
    refreshed = kept_copies.refresh(sources, copy, IGNORE, manifest)
    assert tree(copy) == tree(tmp_path / "expected")
    assert kept_copies.refresh(sources, copy, IGNORE, refreshed) == refreshed


def test_a_kept_copy_follows_the_sources_edits(tmp_path: Path) -> None:
    sources = legacy(tmp_path / "src")
    copy = tmp_path / "copy"
    manifest = kept_copies.copy(sources, copy, IGNORE)
    (sources["shop"] / "views.py").write_text("def view(): return 2\n")
    (sources["shop"] / "models.py").write_text("rows = []\n")
    (sources["shop"] / "templates" / "base.html").unlink()
    kept_copies.refresh(sources, copy, IGNORE, manifest)
    assert tree(copy) == fresh(sources, tmp_path / "expected")


def test_a_tree_holding_a_link_is_not_kept(tmp_path: Path) -> None:
    sources = legacy(tmp_path / "src")
    os.symlink(sources["shop"] / "views.py", sources["shop"] / "alias.py")
    with pytest.raises(kept_copies.NotKept):
        kept_copies.copy(sources, tmp_path / "copy", IGNORE)
    assert (tmp_path / "copy" / "shop" / "alias.py").read_text() == "def view(): pass\n"


def test_sandboxes_take_the_copy_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))  # a store of its own
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    legacy(tmp_path / "src")
    root = tmp_path / "src" / "shop"
    first = sandbox.create(root, "shop")
    second = sandbox.create(root, "shop")  # none kept yet: both copy
    expected = tree(first.legacy_path)
    (first.legacy_path / "shop" / "views.py").write_text("changed")
    sandbox.remove(first)
    sandbox.remove(second)  # one is kept already: this one goes
    third, fourth = sandbox.create(root, "shop"), sandbox.create(root, "shop")
    assert tree(third.legacy_path) == expected
    assert tree(fourth.legacy_path) == expected
    sandbox.remove(third, keep=False)
    sandbox.remove(fourth)
    assert len(list(kept_copies.folder().iterdir())) == 1
    assert not first.folder.exists() and not third.folder.exists()


def test_a_kept_copy_that_cannot_be_brought_back_is_copied_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    legacy(tmp_path / "src")
    root = tmp_path / "src" / "shop"
    first = sandbox.create(root, "shop")
    expected = tree(first.legacy_path)
    (first.legacy_path / "shop" / "templates" / "cache.html").write_text("written by the app")
    sandbox.remove(first)

    def refresh(*_: object) -> None:
        raise PermissionError("a folder the app made read-only")

    monkeypatch.setattr(kept_copies, "refresh", refresh)
    second = sandbox.create(root, "shop")
    assert tree(second.legacy_path) == expected
    assert second.kept is not None  # the fresh copy is kept in turn
    sandbox.remove(second)
