"""Which generated module a report entry lives in (`routes.generated_module`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.engine.findings import Finding, Status
from codemods.engine.verify.routes import generated_module


def entry(target: str) -> Finding:
    finding = Finding(kind="route", symbol="index", status=Status.converted)
    finding.target = target
    return finding


def test_an_entry_s_module_is_the_same_from_a_relative_or_absolute_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "out" / "app"
    (dest / "shop").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    relative, absolute = "out/app/shop/views.py:12", f"{dest}/shop/views.py"
    assert generated_module(entry(relative), Path("out/app")) == "shop/views.py"
    assert generated_module(entry(absolute), dest) == "shop/views.py"
    assert generated_module(entry("elsewhere/views.py:3"), dest) is None
    assert generated_module(entry(""), dest) is None
    # a relative target read from another folder is another file
    assert generated_module(entry("shop/views.py"), dest) is None
    monkeypatch.chdir(dest)
    assert generated_module(entry("shop/views.py"), dest) == "shop/views.py"
