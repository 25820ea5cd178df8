"""Added imports that would hide a name the module already binds get an alias.

`from sqlalchemy import Enum` in a module that uses `enum.Enum`, FastAPI's `Query` in a module
importing another `Query`, a runtime `instance_path` in a function with an `instance_path`
parameter: the import becomes `... import Enum as sqlalchemy_Enum`, and the names the rules wrote
(not those of the legacy code, told apart by node identity) are renamed to the alias.
"""

from __future__ import annotations

import ast
import re
from functools import cached_property

import libcst as cst

from codemods.engine.parsed import parse_ast_shared

_WORD = re.compile(r"\w+")
_IMPORT = re.compile(r"^[ \t]*(?:from|import)\b[^\n(]*(?:\([^)]*\))?[^\n]*", re.MULTILINE)


def other_bindings(source: str) -> set[str]:
    """The names the legacy source binds other than by an import: parameters, assignments,
    functions and classes."""
    try:
        tree = parse_ast_shared(source)  # within a run, the package scans' tree of the module
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
    return found


class LegacyNames:
    """`other_bindings` of a module, computed only when an added name appears in its text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.bound: set[str] | None = None

    @cached_property
    def words(self) -> set[str]:
        return set(_WORD.findall(self.source))

    @cached_property
    def code(self) -> str:
        return _IMPORT.sub("", self.source)  # a name in an import is not bound "otherwise"

    def binds(self, name: str) -> bool:
        if name not in self.words:
            return False
        word = re.escape(name)
        looks_bound = rf"(?:def|class|for|as)\s+{word}\b|\b{word}\s*(?:=(?!=)|:|,|\))"
        if not re.search(looks_bound, self.code):
            return False
        if self.bound is None:
            self.bound = other_bindings(self.source)
        return name in self.bound


def alias_for(module: str, name: str) -> str:
    return f"{module.lstrip('.').split('.')[-1] or 'local'}_{name}"


class _Rename(cst.CSTTransformer):
    """Rename the names the rules wrote (absent from the original tree) to the alias."""

    def __init__(self, name: str, alias: str, original: set[int]) -> None:
        self.name, self.alias, self.original = name, alias, original
        self.keep: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.keep.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.keep.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.keep.add(id(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.keep.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.keep.add(id(node.name))
        # a class's bases are the legacy code's (changedetection.io's `class RestoreForm(Form)`
        # on WTForms' Form, rebuilt by the forms rule: not the node of the original tree)
        for base in node.bases:
            if isinstance(base.value, cst.Name):
                self.keep.add(id(base.value))

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if (
            original_node.value == self.name
            and id(original_node) not in self.original
            and id(original_node) not in self.keep
        ):
            return updated_node.with_changes(value=self.alias)
        return updated_node


class _Collect(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.ids: set[int] = set()

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.ids.add(id(node))


def rename_new_uses(tree: cst.Module, original: cst.Module, name: str, alias: str) -> cst.Module:
    collect = _Collect(name)
    original.visit(collect)
    return tree.visit(_Rename(name, alias, collect.ids))
