"""Every module of the Django runtime says in its docstring whether it is transitional (gone with
the legacy project) or permanent."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import codemods.runtime.django as runtime

MODULES = sorted(
    info.name for info in pkgutil.iter_modules(runtime.__path__, "codemods.runtime.django.")
)


@pytest.mark.parametrize("name", [runtime.__name__, *MODULES])
def test_the_module_says_whether_it_is_transitional_or_permanent(name):
    doc = importlib.import_module(name).__doc__ or ""

    assert "Transitional" in doc or "Permanent" in doc
