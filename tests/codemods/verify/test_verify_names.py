"""The names check: pyflakes' messages about what the codemod introduced, not the legacy's own."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from codemods.engine.verify import names
from codemods.engine.verify.names import check_module


def messages(generated: str, legacy: str | None = None) -> list[str]:
    return [f.message for f in check_module(generated, legacy, "views.py")]


def test_an_undefined_name_is_reported_with_its_line() -> None:
    assert messages("def view():\n    return request.args\n") == [
        "views.py:2: undefined name 'request'"
    ]


def test_an_import_hiding_a_name_of_the_module_is_reported() -> None:
    code = "from enum import Enum\nfrom sqlalchemy import Enum\n\nx = Enum\n"
    assert messages(code) == ["views.py:2: redefinition of unused 'Enum' from line 1"]


def test_an_unused_import_is_reported() -> None:
    assert messages("from fastapi import Query\n") == [
        "views.py:1: 'fastapi.Query' imported but unused"
    ]


def test_what_the_legacy_module_already_had_is_not_reported() -> None:
    legacy = "import os\n"
    assert messages("import os\n", legacy) == []


def test_an_import_its_author_marked_noqa_is_not_reported() -> None:
    # lemur's manage.py imports its models for SQLAlchemy's create_all, marked noqa
    user = "from .users.models import User  # noqa"
    role = "from .roles.models import Role  # noqa: F401"
    code = f"{user}\n{role}\n"
    assert messages(code) == []


def test_a_noqa_naming_another_code_does_not_silence_an_unused_import() -> None:
    assert messages("import os  # noqa: E501\n") == ["views.py:1: 'os' imported but unused"]


def test_a_legacy_import_made_relative_is_still_the_legacy_s_own() -> None:
    # the own-imports rule: `from lemur.plugins.base import *` -> `from ..plugins.base import *`
    legacy = "from lemur.plugins.base import *\n"
    assert messages("from ..plugins.base import *\n", legacy) == []


def test_a_text_checked_before_is_answered_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRANGLER_VERIFY_WARM", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # a cache of its own
    monkeypatch.setattr(tempfile, "tempdir", None)
    checked: list[str] = []
    real = names._problems

    def counted(source: str, filename: str) -> list[names.Problem]:
        checked.append(filename)
        return real(source, filename)

    monkeypatch.setattr(names, "_problems", counted)
    code = "def view():\n    return request.args\n"
    first = [f.message for f in check_module(code, None, "views.py")]
    again = [f.message for f in check_module(code, None, "views.py")]
    other = [f.message for f in check_module(code, None, "other.py")]
    assert first == again == ["views.py:2: undefined name 'request'"]
    assert other == ["other.py:2: undefined name 'request'"]
    assert checked == ["views.py", "other.py"]
