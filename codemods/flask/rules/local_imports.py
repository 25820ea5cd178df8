"""Flask imported inside a function is imported with the module's own Flask imports, so the rules
after this one see the names as the module-level imports they convert:

    def diff_prompt(uuid):                     from flask import jsonify
        from flask import jsonify        ->    ...
        return jsonify({"prompt": ""})         def diff_prompt(uuid):
                                                   return jsonify({"prompt": ""})

changedetection.io imports `jsonify`, `make_response` and `request` so in its views. Importing
a name of Flask's once for the module changes nothing but where it is bound: a name the module
binds otherwise at its top level (`app`, an import from elsewhere) is left where it is. An
import in a `try` stays (it may be guarded, with a fallback).
"""

from __future__ import annotations

import re

import libcst as cst

from codemods.engine.imports import import_from, with_imports
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.engine.state import ModuleState

_WITH_LEADING_LINES = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
INDENTED_FLASK_IMPORT = re.compile(r"^[ \t]+from[ \t]+flask[ \t]+import\b", re.M)


class LocalImportsRule(Rule):
    name = "local-imports"
    DESCRIPTION = "from flask import ... inside a function -> the module's own Flask import."

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        return INDENTED_FLASK_IMPORT.search(source) is not None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        hoisting = Hoisting(module_bindings(updated_node) | local_bindings(updated_node))
        tree = updated_node.visit(hoisting)
        if not hoisting.names:
            return updated_node
        return tree.with_changes(body=with_flask_names(list(tree.body), hoisting.names))


class Hoisting(cst.CSTTransformer):
    """Takes `from flask import ...` lines out of function bodies; `names` gathers them."""

    def __init__(self, bound: set[str]) -> None:
        super().__init__()
        self.bound = bound
        self.names: dict[tuple[str, str | None], None] = {}
        self.functions = 0  # depth of the functions around the node
        self.guarded = 0  # depth of the `try` bodies and handlers around it, in a function

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions += 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions -= 1
        return updated_node

    def visit_Try(self, node: cst.Try) -> None:
        self.guarded += 1

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        self.guarded -= 1
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        """A block of a function (its body, an `if`'s...) without its movable imports."""
        if not self.functions or self.guarded:
            return updated_node
        kept: list[cst.BaseStatement] = []
        comments: list[cst.EmptyLine] = []  # those above a moved import go to the next line
        for statement in updated_node.body:
            names = self.movable(statement)
            if names is None:
                if comments and isinstance(statement, _WITH_LEADING_LINES):
                    lines = [*comments, *statement.leading_lines]
                    statement = statement.with_changes(leading_lines=lines)
                    comments = []
                kept.append(statement)
                continue
            self.names.update(dict.fromkeys(names))
            assert isinstance(statement, cst.SimpleStatementLine)
            comments.extend(statement.leading_lines)
        if len(kept) == len(updated_node.body):
            return updated_node
        if not kept or all(_is_docstring(s) for s in kept):
            kept.append(cst.SimpleStatementLine([cst.Pass()]))
        return updated_node.with_changes(body=kept)

    def movable(self, statement: cst.BaseStatement) -> list[tuple[str, str | None]] | None:
        """The (name, alias) pairs of a `from flask import` line that can move, else None."""
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        node = statement.body[0]
        if (
            not isinstance(node, cst.ImportFrom)
            or node.relative
            or node.module is None
            or dotted_name(node.module) != "flask"
            or isinstance(node.names, cst.ImportStar)
        ):
            return None
        pairs: list[tuple[str, str | None]] = []
        for alias in node.names:
            name = dotted_name(alias.name)
            asname = dotted_name(alias.asname.name) if alias.asname is not None else None
            if name is None or (asname or name) in self.bound:
                return None
            pairs.append((name, asname))
        return pairs


def module_bindings(module: cst.Module) -> set[str]:
    """The names the module's top level binds other than by importing them from Flask."""
    bound: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            bound.add(statement.name.value)
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign | cst.AnnAssign | cst.AugAssign):
                targets = small.targets if isinstance(small, cst.Assign) else [small]
                for target in targets:
                    name = dotted_name(target.target)
                    if name and "." not in name:
                        bound.add(name)
            elif isinstance(small, cst.Import | cst.ImportFrom) and not _from_flask(small):
                if isinstance(small.names, cst.ImportStar):
                    continue
                for alias in small.names:
                    asname = dotted_name(alias.asname.name) if alias.asname is not None else None
                    bound.add(asname or (dotted_name(alias.name) or "").split(".")[0])
    return bound


def local_bindings(module: cst.Module) -> set[str]:
    """The names a function of the module binds (parameters, assignments, loop and `with`
    targets): one of them moved to the top level could be a nested function's closure instead."""

    class Bindings(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: set[str] = set()

        def visit_Param(self, node: cst.Param) -> None:
            self.names.add(node.name.value)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self.targets(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self.targets(node.target)

        def visit_For(self, node: cst.For) -> None:
            self.targets(node.target)

        def visit_AsName(self, node: cst.AsName) -> None:
            self.targets(node.name)

        def targets(self, node: cst.BaseExpression) -> None:
            if isinstance(node, cst.Name):
                self.names.add(node.value)
            elif isinstance(node, cst.Tuple | cst.List):
                for element in node.elements:
                    self.targets(element.value)

    found = Bindings()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            statement.visit(found)
    return found.names


def with_flask_names(
    body: list[cst.BaseStatement], names: dict[tuple[str, str | None], None]
) -> list[cst.BaseStatement]:
    """`body` with `names` imported by its first module-level `from flask import` line (or by a
    new one after its leading imports)."""
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        node = statement.body[0]
        if not (_from_flask(node) and isinstance(node, cst.ImportFrom)):
            continue
        if isinstance(node.names, cst.ImportStar):
            continue
        present = {
            (dotted_name(a.name), dotted_name(a.asname.name) if a.asname else None)
            for a in node.names
        }
        extra = [pair for pair in names if pair not in present]
        if not extra:
            return body
        aliases = [*node.names]
        aliases[-1] = aliases[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        addition = import_from("flask", extra)
        assert isinstance(addition, cst.SimpleStatementLine)
        added = addition.body[0]
        assert isinstance(added, cst.ImportFrom) and not isinstance(added.names, cst.ImportStar)
        merged = node.with_changes(names=[*aliases, *added.names], lpar=None, rpar=None)
        if node.lpar is not None:
            merged = merged.with_changes(lpar=node.lpar, rpar=node.rpar)
        return [*body[:index], statement.with_changes(body=[merged]), *body[index + 1 :]]
    return with_imports(body, {"flask": list(names)})


def _from_flask(node: cst.BaseSmallStatement) -> bool:
    return (
        isinstance(node, cst.ImportFrom)
        and not node.relative
        and node.module is not None
        and dotted_name(node.module) == "flask"
    )


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
