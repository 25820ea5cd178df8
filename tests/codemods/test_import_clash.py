"""Imports the codemod adds never hide a name the module binds, and go at the top."""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext, add_import, remove_import
from codemods.engine.imports import apply_imports


def add(source: str, module: str, name: str, use: str | None = None) -> str:
    """`source` with `use` appended by a "rule" (a new node) and `from module import name`."""
    original = cst.parse_module(source)
    tree = original
    if use is not None:
        tree = tree.with_changes(body=[*tree.body, cst.parse_statement(use)])
    context = ModuleContext()
    add_import(context, module, name)
    return apply_imports(tree, context, original, source)[1]


def test_an_import_hiding_another_import_is_aliased_and_the_new_uses_renamed() -> None:
    source = "from enum import Enum\n\n\nclass Color(Enum):\n    RED = 1\n"
    code = add(source, "sqlalchemy", "Enum", "column = Enum(Color)\n")
    assert "from sqlalchemy import Enum as sqlalchemy_Enum\n" in code
    assert "class Color(Enum):" in code
    assert "column = sqlalchemy_Enum(Color)" in code


def test_an_import_hiding_a_parameter_is_aliased() -> None:
    source = "def create_app(instance_path=None):\n    return instance_path\n"
    code = add(source, "runtime", "instance_path", "where = instance_path('pkg')\n")
    assert "from runtime import instance_path as runtime_instance_path\n" in code
    assert "return instance_path\n" in code
    assert "where = runtime_instance_path('pkg')" in code


def test_an_import_with_no_clash_keeps_its_name() -> None:
    code = add("import os\n", "fastapi", "Depends", "x = Depends\n")
    assert "from fastapi import Depends\n" in code


def test_added_imports_go_at_the_top_not_after_code() -> None:
    source = '"""Doc."""\n\nimport os\n\nbp = 1\n\nfrom . import views\n'
    code = add(source, "fastapi", "APIRouter", "router = APIRouter()\n")
    assert code.index("from fastapi import APIRouter") < code.index("bp = 1")


def test_an_import_whose_use_a_later_rule_commented_out_is_not_added() -> None:
    # lemur's factory: current_config() written by one rule, then commented out as set-up
    source = "import os\n\n# TODO(strangler): set-up\n# x = current_config()\ny = os.sep\n"
    code = add(source, "runtime", "current_config")
    assert "from runtime import" not in code


def test_an_import_asked_to_go_but_still_used_is_still_hidden_by_none() -> None:
    # changedetection.io's restore form: `class RestoreForm(Form)` on WTForms' Form, in a module
    # whose view reads form fields (FastAPI's Form); the cleanup asks for every import to go if
    # unused, and WTForms' stays
    source = "from wtforms import Form\n\n\nclass RestoreForm(Form):\n    pass\n"
    original = cst.parse_module(source)
    tree = original.with_changes(body=[*original.body, cst.parse_statement("f = Form()\n")])
    context = ModuleContext()
    remove_import(context, "wtforms", "Form")
    add_import(context, "fastapi", "Form")
    code = apply_imports(tree, context, original, source)[1]
    assert "from fastapi import Form as fastapi_Form\n" in code
    assert "from wtforms import Form\n" in code
    assert "f = fastapi_Form()" in code


def test_a_class_base_rebuilt_by_a_rule_keeps_the_legacy_name() -> None:
    source = "from wtforms import Form\n\n\nclass RestoreForm(Form):\n    pass\n"
    original = cst.parse_module(source)
    rebuilt = cst.parse_module(source)  # the same code, none of its nodes the original's
    tree = rebuilt.with_changes(body=[*rebuilt.body, cst.parse_statement("f = Form()\n")])
    context = ModuleContext()
    add_import(context, "fastapi", "Form")
    code = apply_imports(tree, context, original, source)[1]
    assert "class RestoreForm(Form):" in code
    assert "f = fastapi_Form()" in code
