"""A function of another module of SRC a class view hands one SQLAlchemy row: followed when it
only reads the row's columns (`db_connection.id`), so that it sees what it would see on Django's
instance; class_queries.py then lets the row go to it.

    def clear_schema_cache(db_connection):          # explorer/schema.py
        cache.delete(connection_schema_cache_key(db_connection.id))

    class DatabaseConnectionRefreshView(View):
        def get(self, request, pk):
            conn = DatabaseConnection.objects.get(id=pk)
            clear_schema_cache(conn)                 # reads conn.id only: followed

The function is a module-level `def` of SRC imported by name into the view's module; the row is
a positional argument bound to a plain parameter; the function's every use of that parameter is
`param.<column>` (a column of the generated row: template_reads.ModelFacts), or the parameter
handed on positionally to a module-level `def` of its module that is followed the same way
(three calls deep: `schema_json_info(conn)` calls `schema_info(conn)`), never rebound, passed
on otherwise, iterated or written.
"""

from __future__ import annotations

import ast
from pathlib import Path

from codemods.django.analysis import DjangoAnalysis, ModulePath
from codemods.django.analysis import _imports as imports_of
from codemods.django.template_reads import ModelFacts


def reads_only_columns(
    analysis: DjangoAnalysis,
    module: ModulePath,
    name: str,
    position: int,
    facts: ModelFacts | None,
) -> bool:
    """Whether function `name` (as the view module `module` imports it) reads of its
    positional argument `position` only columns of a model with `facts`."""
    if analysis.root is None or facts is None:
        return False
    view_module = _parsed(Path(analysis.root, *module))
    if view_module is None:
        return False
    dotted = imports_of(module, view_module).get(name)
    if dotted is None or "." not in dotted:
        return False
    owner, _, function_name = dotted.rpartition(".")
    found = _function(Path(analysis.root), owner, function_name)
    if found is None:
        return False
    function, tree = found
    return _reads_only_columns(function, position, facts, tree, HOPS)


HOPS = 3  # functions handing the row on to functions of their module, followed this deep


def _reads_only_columns(
    function: ast.FunctionDef, position: int, facts: ModelFacts, tree: ast.Module, hops: int
) -> bool:
    arguments = function.args
    if arguments.posonlyargs or position >= len(arguments.args):
        return False
    parameter = arguments.args[position].arg
    return _column_reads_only(function, parameter, facts, tree, hops)


def _parsed(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None


def _function(root: Path, owner: str, name: str) -> tuple[ast.FunctionDef, ast.Module] | None:
    """Module-level function `name` of module `owner` of SRC (dotted from SRC itself or from
    the folders SRC is in: `explorer.schema` in SRC `explorer`)."""
    parts = owner.split(".")
    folders = [root, *root.parents]
    for depth in range(len(parts)):  # `explorer.schema`: parts[1:] under SRC `explorer`
        above = [f.name for f in reversed(folders[:depth])]
        if parts[:depth] != above:
            continue
        rest = parts[depth:]
        for candidate in (
            root.joinpath(*rest).with_suffix(".py"),
            root.joinpath(*rest, "__init__.py"),
        ):
            tree = _parsed(candidate) if candidate.is_file() else None
            if tree is None:
                continue
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and node.name == name:
                    return node, tree
    return None


def _column_reads_only(
    function: ast.FunctionDef, parameter: str, facts: ModelFacts, tree: ast.Module, hops: int
) -> bool:
    """Every use of `parameter` in `function` reads a column, or hands it on positionally to a
    module-level function of `tree` (its module) that reads only columns of it (`hops` deep:
    `schema_json_info(conn)` reads `conn.id` and calls `schema_info(conn)`, which reads
    `conn.id`)."""
    reads: set[int] = set()
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == parameter
        ):
            if not isinstance(node.ctx, ast.Load) or node.attr not in facts.columns:
                return False
            reads.add(id(node.value))
        elif (
            isinstance(node, ast.Lambda | ast.FunctionDef)
            and node is not function
            and any(a.arg == parameter for a in node.args.args)
        ):
            return False  # a nested scope rebinding the name
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and hops:
            for position, argument in enumerate(node.args):
                if not (isinstance(argument, ast.Name) and argument.id == parameter):
                    continue
                callee = _module_function(tree, node.func.id)
                if callee is None or callee is function:
                    return False
                if not _reads_only_columns(callee, position, facts, tree, hops - 1):
                    return False
                reads.add(id(argument))
    return all(
        id(node) in reads
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and node.id == parameter
    )


def _module_function(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    """The module-level function `name` of `tree`, unless the module binds the name again."""
    found = [
        node
        for node in tree.body
        if isinstance(
            node, ast.FunctionDef | ast.ClassDef | ast.Assign | ast.Import | ast.ImportFrom
        )
        and name in _bound(node)
    ]
    if len(found) == 1 and isinstance(found[0], ast.FunctionDef):
        return found[0]
    return None


def _bound(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    return set()
