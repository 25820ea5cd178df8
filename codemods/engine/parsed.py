"""Legacy modules parsed once per run by libcst, shared by the analysis and the runner.

A framework's analysis that parses a module with libcst (to read its views' queries, say) keeps
the tree here, keyed by the module's text; the runner then starts that module's rules from the
same tree instead of parsing it again. libcst trees are immutable, so sharing one is safe. The
cache lives on the analysis object: one run of the codemod, never across runs.

A framework without such an analysis (Flask) has rules that scan the whole package once a run,
from whichever module first needs it (its guard decorators, its context processors): they parse
with `parse_shared`, and the runner parses the module it converts with `parse_legacy(...,
converting=True)`; within a run (`shared_for_run`, entered by the runner) both keep their trees
for the other, so each module is parsed once (lemur's 250 modules: some 10 MB more at peak).
The package scans reading modules with Python's `ast` (Flask's route discovery, flask-login's
set-up, plain WTForms forms; Django's readers of the models modules' classes) share their trees
the same way (`parse_ast_shared`): none changes a tree (a reader that rewrites one copies it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst


class ParsedModules:
    """Module text -> its libcst tree, parsed on first use."""

    def __init__(self) -> None:
        self._trees: dict[str, cst.Module] = {}
        self._texts: dict[int, str] = {}  # id of a tree -> its text (the trees stay alive)

    def parse(self, source: str) -> cst.Module:
        """`libcst.parse_module(source)`, once per text (raises as it does)."""
        tree = self._trees.get(source)
        if tree is None:
            tree = self._trees[source] = cst.parse_module(source)
            self._texts[id(tree)] = source
        return tree

    def text_of(self, tree: cst.Module) -> str | None:
        """The text `tree` was parsed from, when it is one of these trees."""
        text = self._texts.get(id(tree))
        return text if text is not None and self._trees.get(text) is tree else None


_run_trees: ParsedModules | None = None  # the legacy trees of this run
_run_ast: dict[str, ast.Module] | None = None  # their `ast` trees, for the scans that read them
_run_memo: dict[object, object] | None = None  # facts of those trees (`run_memo`)


@contextmanager
def shared_for_run() -> Iterator[None]:
    """Within: the legacy trees parsed by the runner and the package scans are kept for one
    another (one run of the codemod)."""
    global _run_trees, _run_ast, _run_memo
    previous = _run_trees, _run_ast, _run_memo
    _run_trees, _run_ast, _run_memo = ParsedModules(), {}, {}
    try:
        yield
    finally:
        _run_trees, _run_ast, _run_memo = previous


def run_trees() -> ParsedModules:
    """The run's legacy trees (`parse_shared`'s); outside a run, a store of its own. A Django
    analysis keeps its trees here, so its readers and the runner share one tree per module."""
    return _run_trees if _run_trees is not None else ParsedModules()


def parse_shared(source: str) -> cst.Module:
    """`libcst.parse_module(source)` for a scan of the whole legacy package: within a run, once
    per text (the runner's conversion of the module shares it)."""
    return _run_trees.parse(source) if _run_trees is not None else cst.parse_module(source)


def code_of(tree: cst.Module) -> str:
    """`tree.code`: within a run, for a tree of the run's (`parse_shared`, a Django analysis's
    trees), the text it was parsed from, which is its code (libcst renders a tree as parsed),
    without rendering it."""
    text = _run_trees.text_of(tree) if _run_trees is not None else None
    return text if text is not None else tree.code


def run_memo() -> dict[object, object] | None:
    """Within a run, a place for facts read from its trees (`ast_names.calls_in`); else None."""
    return _run_memo


def parse_ast_shared(source: str) -> ast.Module:
    """`ast.parse(source)` for a scan of the legacy package that only reads the tree: within a
    run, once per text (raises as it does)."""
    if _run_ast is None:
        return ast.parse(source)
    tree = _run_ast.get(source)
    if tree is None:
        tree = _run_ast[source] = ast.parse(source)
    return tree


def parse_legacy(source: str, analysis: object, *, converting: bool = False) -> cst.Module:
    """The module's tree: the one the analysis parsed when it kept one (its `parsed`), else
    parsed now. `converting`: the runner's parse of the module it converts, which shares its tree
    with the package scans of the run (`parse_shared`)."""
    parsed = getattr(analysis, "parsed", None)
    if isinstance(parsed, ParsedModules):
        return parsed.parse(source)
    if converting and _run_trees is not None:
        return _run_trees.parse(source)
    return cst.parse_module(source)
