"""Whether a function view reads the AJAX header (`X-Requested-With: XMLHttpRequest`): it calls
`request.is_ajax()`, names the header (`request.headers.get("x-requested-with")`,
`request.META["HTTP_X_REQUESTED_WITH"]`), or calls a function of SRC that does (Spirit's
`is_ajax(request)` of `spirit.core.utils.views`). Verification then also calls its route with that
header (probe.py), the call a page's script makes, and compares that answer too.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

HEADER_NAMES = frozenset({"x-requested-with", "http_x_requested_with"})
HOPS = 3  # helpers calling helpers, followed this deep

Function = ast.FunctionDef | ast.AsyncFunctionDef
# the function of SRC a called name stands for (`is_ajax` -> its def), else None
Lookup = Callable[[str], Function | None]


def reads_ajax_header(function: Function, lookup: Lookup, hops: int = HOPS) -> bool:
    return _Reads(lookup).reads(function, hops)


class _Reads:
    """One answer of `reads_ajax_header`: each helper's, at each depth left, and each called
    name's lookup, found once."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.found: dict[tuple[int, int], bool] = {}  # (id of a function, hops) -> its answer
        self.helpers: dict[str, Function | None] = {}  # called name -> its def

    def reads(self, function: Function, hops: int) -> bool:
        key = (id(function), hops)
        if key not in self.found:
            self.found[key] = self._reads(function, hops)
        return self.found[key]

    def _reads(self, function: Function, hops: int) -> bool:
        for node in ast.walk(function):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.lower() in HEADER_NAMES:
                    return True
            elif isinstance(node, ast.Call):
                called = node.func
                if isinstance(called, ast.Attribute) and called.attr == "is_ajax":
                    return True
                if hops and isinstance(called, ast.Name | ast.Attribute):
                    helper = self.helper(_dotted(called))
                    if helper not in (None, function) and self.reads(helper, hops - 1):
                        return True
        return False

    def helper(self, name: str) -> Function | None:
        if name not in self.helpers:
            self.helpers[name] = self.lookup(name)
        return self.helpers[name]


def _dotted(called: ast.expr) -> str:
    """`ast.unparse(called)`, found without unparsing for a name or a chain of attributes on one."""
    parts: list[str] = []
    node = called
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ast.unparse(called)
    return ".".join([node.id, *reversed(parts)])
