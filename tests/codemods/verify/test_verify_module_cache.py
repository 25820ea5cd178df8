"""Python modules the verification's child compiled in an earlier run come from its cache
(`codemods/engine/verify/module_cache.py`): the same source is compiled once, and its code gets
the file name of the run that imports it; another source compiles again; a source that does not
compile raises as it would, every time."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codemods.engine.verify.module_cache import compiling_through


class Compiles:
    """`SourceFileLoader.source_to_code` through the cache in `folder`, counting the real
    compilations."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        loader = importlib.machinery.SourceFileLoader
        original = loader.source_to_code

        def counted(*arguments: Any, **keywords: Any) -> Any:
            self.count += 1
            return original(*arguments, **keywords)

        monkeypatch.setattr(loader, "source_to_code", compiling_through(folder, counted))
        monkeypatch.setattr(sys, "dont_write_bytecode", True)


def load(path: Path, source: str) -> ModuleType:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"cached_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOURCE = "def price(n):\n    return [n * 2 for _ in range(1)]\n\nTOTAL = price(21)\n"


def test_the_same_source_is_compiled_once_and_gets_each_runs_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiles = Compiles(tmp_path / "cache", monkeypatch)
    (tmp_path / "cache").mkdir()
    first = load(tmp_path / "run1" / "shop.py", SOURCE)
    second = load(tmp_path / "run2" / "shop.py", SOURCE)
    assert first.TOTAL == second.TOTAL == [42]
    assert compiles.count == 1
    assert second.price.__code__.co_filename == str(tmp_path / "run2" / "shop.py")
    nested = [c for c in second.price.__code__.co_consts if hasattr(c, "co_filename")]
    assert [c.co_filename for c in nested] == [str(tmp_path / "run2" / "shop.py")]


def test_another_source_compiles_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiles = Compiles(tmp_path / "cache", monkeypatch)
    (tmp_path / "cache").mkdir()
    load(tmp_path / "run1" / "shop.py", SOURCE)
    changed = load(tmp_path / "run2" / "shop.py", SOURCE.replace("21", "5"))
    assert changed.TOTAL == [10]
    assert compiles.count == 2


def test_a_source_that_does_not_compile_raises_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiles = Compiles(tmp_path / "cache", monkeypatch)
    (tmp_path / "cache").mkdir()
    for run in ("run1", "run2"):
        with pytest.raises(SyntaxError):
            load(tmp_path / run / "broken.py", "def broken(:\n")
    assert compiles.count == 2
