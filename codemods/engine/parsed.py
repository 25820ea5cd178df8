"""Legacy modules parsed once per run by libcst, shared by the analysis and the runner.

A framework's analysis that parses a module with libcst (to read its views' queries, say) keeps
the tree here, keyed by the module's text; the runner then starts that module's rules from the
same tree instead of parsing it again. libcst trees are immutable, so sharing one is safe. The
cache lives on the analysis object: one run of the codemod, never across runs.
"""

from __future__ import annotations

import libcst as cst


class ParsedModules:
    """Module text -> its libcst tree, parsed on first use."""

    def __init__(self) -> None:
        self._trees: dict[str, cst.Module] = {}

    def parse(self, source: str) -> cst.Module:
        """`libcst.parse_module(source)`, once per text (raises as it does)."""
        tree = self._trees.get(source)
        if tree is None:
            tree = self._trees[source] = cst.parse_module(source)
        return tree


def parse_legacy(source: str, analysis: object) -> cst.Module:
    """The module's tree: the one the analysis parsed when it kept one (its `parsed`), else
    parsed now."""
    parsed = getattr(analysis, "parsed", None)
    if isinstance(parsed, ParsedModules):
        return parsed.parse(source)
    return cst.parse_module(source)
