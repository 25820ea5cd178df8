"""Generated modules are sorted and formatted by ruff; legacy text is kept as it is."""

from codemods.engine.formatting import format_sources


def test_an_ambiguous_character_of_a_legacy_string_is_kept_and_marked_for_ruff() -> None:
    formatted = format_sources({"views.py": 'MESSAGE = "2 \u00d7 3"\n'}, [])
    assert formatted["views.py"] == 'MESSAGE = "2 \u00d7 3"  # noqa: RUF001\n'


def test_plain_code_gets_no_marks() -> None:
    code = "import os\nimport abc\n\nPATHS = (abc, os)\n"
    formatted = format_sources({"views.py": code}, [])
    assert formatted["views.py"] == "import abc\nimport os\n\nPATHS = (abc, os)\n"


def test_imports_nothing_uses_are_removed() -> None:
    formatted = format_sources({"views.py": "import os\nimport abc\n\nPATH = os.sep\n"}, [])
    assert formatted["views.py"] == "import os\n\nPATH = os.sep\n"


def test_a_package_init_keeps_its_imports() -> None:
    formatted = format_sources({"__init__.py": "from .models import User\n"}, [])
    assert formatted["__init__.py"] == "from .models import User\n"
