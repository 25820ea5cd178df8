"""`ast.get_source_segment` without splitting the whole source again at every call: the lines of
the last sources read are kept, so a module's many segments split it once."""

from __future__ import annotations

import ast
import functools


@functools.lru_cache(maxsize=16)
def _lines(source: str) -> tuple[str, ...]:
    """The source's lines with their ends, split as `ast.get_source_segment` splits them."""
    return tuple(ast._splitlines_no_ff(source))  # type: ignore[attr-defined]


def source_segment(source: str, node: ast.AST) -> str | None:
    """The text of `source` that `node` was parsed from, as `ast.get_source_segment` gives it
    (unpadded); None when the node has no position."""
    end_lineno = getattr(node, "end_lineno", None)
    end_col_offset = getattr(node, "end_col_offset", None)
    if end_lineno is None or end_col_offset is None:
        return None
    lineno: int = node.lineno - 1  # type: ignore[attr-defined]
    col_offset: int = node.col_offset  # type: ignore[attr-defined]
    lines = _lines(source)
    last = end_lineno - 1
    if last == lineno:
        return lines[lineno].encode()[col_offset:end_col_offset].decode()
    first = lines[lineno].encode()[col_offset:].decode()
    tail = lines[last].encode()[:end_col_offset].decode()
    return "".join((first, *lines[lineno + 1 : last], tail))
