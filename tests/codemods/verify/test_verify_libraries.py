"""The installed libraries a legacy package imports (codemods/engine/verify/libraries.py), which
the warm server imports once before it forks: read from the lines that import them, kept only
when installed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from codemods.engine.verify.libraries import import_installed, imported_libraries, installed

MODULE = """\
\"\"\"A view module.\"\"\"
import os, json
import numpy as np, scipy.stats
from flask import Blueprint, jsonify
from wtforms.validators import (
    DataRequired,
    Length as length,
)
from . import models
from .forms import Form
from shop.helpers import money
from __future__ import annotations


def view():
    import lazy_library  # inside a function: imported when called, left to the child
"""


def read(tmp_path: Path, text: str = MODULE) -> list[str]:
    module = tmp_path / "views.py"
    module.write_text(text)
    return imported_libraries([module], "shop.app")


def test_each_imported_module_and_each_name_imported_from_one(tmp_path: Path) -> None:
    assert read(tmp_path) == [
        "flask",
        "numpy",
        "flask.Blueprint",
        "flask.jsonify",
        "scipy.stats",
        "wtforms.validators",
        "wtforms.validators.DataRequired",
        "wtforms.validators.Length",
    ]


def test_a_module_lists_what_it_imports_before_the_names_imported_from_it(
    tmp_path: Path,
) -> None:
    found = read(tmp_path, "from b.c import d\nimport b\n")
    assert found == ["b", "b.c", "b.c.d"]


def test_a_star_import_names_its_module(tmp_path: Path) -> None:
    assert read(tmp_path, "from numpy import *\n") == ["numpy"]


def test_the_package_itself_relative_imports_and_the_standard_library_are_left_out(
    tmp_path: Path,
) -> None:
    found = read(tmp_path)
    assert not [name for name in found if name.split(".")[0] in ("shop", "os", "json")]
    assert "lazy_library" not in found


def test_only_what_lies_in_a_site_packages_folder_is_installed(tmp_path: Path) -> None:
    assert installed("libcst")
    assert not installed("json")  # the standard library
    assert not installed("no_such_module_here")
    (tmp_path / "local_module.py").write_text("VALUE = 1\n")
    sys.path.insert(0, str(tmp_path))
    try:
        assert not installed("local_module")  # a module of a project tree
    finally:
        sys.path.remove(str(tmp_path))


def test_installed_modules_are_imported_and_names_that_are_not_modules_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    (site / "widgets").mkdir(parents=True)
    (site / "widgets" / "__init__.py").write_text("def make(): ...\n")
    (site / "widgets" / "parts.py").write_text("PART = 1\n")
    (site / "broken.py").write_text("raise RuntimeError('at import')\n")
    monkeypatch.syspath_prepend(str(site))
    for name in ("widgets", "widgets.parts", "broken"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    names = ["broken", "widgets", "widgets.make", "widgets.parts", "json"]
    assert import_installed(names, refused=set()) == ["widgets", "widgets.parts"]
    assert "broken" not in sys.modules


def test_a_refused_library_is_not_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "threaded.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "threaded", raising=False)

    assert import_installed(["threaded"], refused={"threaded"}) == []
    assert "threaded" not in sys.modules
