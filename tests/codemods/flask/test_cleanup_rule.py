"""The cleanup rule: imports left unused by the conversions go; functions get annotations."""

from pathlib import Path

import libcst as cst

from codemods.engine.package_imports import imported_from
from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.rules.cleanup import CleanupRule
from tests.codemods.support import convert


def test_a_function_local_import_left_unused_is_removed_name_by_name() -> None:
    source = """
def seed_command():
    from .seed import DEMO_USERS, seed_database

    # created = seed_database(app)
    for user in DEMO_USERS:
        print(user)
"""
    code, _, _ = convert(source, [CleanupRule])
    assert "    from .seed import DEMO_USERS\n" in code


def test_a_function_local_import_still_used_is_kept() -> None:
    source = "def f():\n    from .seed import seed_database\n    return seed_database()\n"
    code, _, _ = convert(source, [CleanupRule])
    assert "from .seed import seed_database" in code


def test_a_function_whose_only_import_is_unused_keeps_a_body() -> None:
    code, _, _ = convert("def f():\n    from .seed import seed_database\n", [CleanupRule])
    assert "def f() -> Any:\n    pass\n" in code


def test_an_unused_module_import_is_removed() -> None:
    code, _, _ = convert("from .issuer import IssuerPlugin\n", [CleanupRule])
    assert "IssuerPlugin" not in code


def test_a_package_s_re_exports_are_kept() -> None:
    # lemur's plugins/bases/__init__.py: what the plugins import from the package
    source = "from .issuer import IssuerPlugin\n"
    code, _, _ = convert(source, [CleanupRule], module_path=("plugins", "bases", "__init__.py"))
    assert "from .issuer import IssuerPlugin\n" in code


def test_an_import_marked_noqa_is_kept() -> None:
    source = "from .models import Tag  # noqa: F401\n"
    code, _, _ = convert(source, [CleanupRule])
    assert "from .models import Tag  # noqa: F401\n" in code


def test_a_package_s_unused_flask_import_still_goes() -> None:
    source = "from flask import Flask\n"
    code, _, _ = convert(source, [CleanupRule], module_path=("__init__.py",))
    assert "Flask" not in code


def test_a_package_s_import_its_own_converted_code_used_goes_when_unused() -> None:
    # flask_shop's __init__.py imported db for create_app's db.init_app(app), which the
    # app-factory rule comments out: the import is no re-export and goes with its use
    source = """
from flask import Flask

from .extensions import csrf, db


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    csrf.init_app(app)
    return app
"""
    code, _, _ = convert(source, module_path=("__init__.py",))
    assert "from .extensions import" not in code


def test_a_package_s_import_named_in_all_is_kept_though_its_use_went() -> None:
    source = """
from flask import Flask

from .extensions import db

__all__ = ["create_app", "db"]


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    return app
"""
    code, _, _ = convert(source, module_path=("__init__.py",))
    assert "from .extensions import db\n" in code


def test_a_package_s_re_export_beside_a_name_its_code_used_stays_alone() -> None:
    source = """
from flask import Flask

from .extensions import Plugin, db


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    return app
"""
    code, _, _ = convert(source, module_path=("__init__.py",))
    assert "from .extensions import Plugin\n" in code


def test_an_import_the_comments_above_it_name_is_kept_while_the_code_uses_it() -> None:
    # changedetection.io's __init__.py: a comment block on multiprocessing above its import
    source = """
import os

# multiprocessing defaults to fork on Linux: every
# multiprocessing.get_context('spawn') below is explicit
import multiprocessing

if multiprocessing.get_start_method(allow_none=True) is None:
    multiprocessing.set_start_method("spawn")
"""
    code, _, _ = convert(source, [CleanupRule])
    assert "\nimport multiprocessing\n" in code
    assert "import os" not in code


def test_a_name_the_package_s_other_modules_import_from_here_is_kept_and_re_exported(
    tmp_path: Path,
) -> None:
    # changedetection.io: forms.py imports a constant from llm/evaluator.py, which never uses it
    (tmp_path / "llm").mkdir()
    evaluator = "from ..settings import BUDGET, LIMIT\n\n\ndef limit():\n    return LIMIT\n"
    (tmp_path / "llm" / "evaluator.py").write_text(evaluator)
    (tmp_path / "forms.py").write_text("from .llm.evaluator import BUDGET\n")
    analysis = FlaskAnalysis(root=tmp_path, package="app", files=sorted(tmp_path.rglob("*.py")))
    code, _, _ = convert(
        evaluator,
        [CleanupRule],
        module_path=("llm", "evaluator.py"),
        analysis=analysis,
        legacy=cst.parse_module(evaluator),
    )
    assert "from ..settings import BUDGET as BUDGET, LIMIT\n" in code


def test_the_package_s_imports_are_read_relative_and_absolute(tmp_path: Path) -> None:
    (tmp_path / "blueprint").mkdir()
    (tmp_path / "blueprint" / "__init__.py").write_text(
        "from ..llm.evaluator import (\n    A,  # the first\n    B as b,\n)\n"
    )
    (tmp_path / "forms.py").write_text("    from app.llm.evaluator import C\nfrom . import x\n")
    found = imported_from(tmp_path, sorted(tmp_path.rglob("*.py")), "app")
    assert found == {("llm", "evaluator"): {"A", "B", "C"}, (): {"x"}}


def test_an_import_used_only_after_a_hash_inside_a_string_is_kept() -> None:
    # changedetection.io's diff view: rf'&lt;span style=&#34;({re.escape(REMOVED_STYLE)}...'
    source = """
import re
from .diff import REMOVED_STYLE

PATTERN = rf'style=&#34;({re.escape(REMOVED_STYLE)})&#34;'  # the inline style
"""
    code, _, _ = convert(source, [CleanupRule])
    assert "from .diff import REMOVED_STYLE\n" in code
