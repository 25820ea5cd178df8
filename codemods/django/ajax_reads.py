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
    for node in ast.walk(function):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.lower() in HEADER_NAMES:
                return True
        elif isinstance(node, ast.Call):
            called = node.func
            if isinstance(called, ast.Attribute) and called.attr == "is_ajax":
                return True
            if hops and isinstance(called, ast.Name | ast.Attribute):
                helper = lookup(ast.unparse(called))
                if helper not in (None, function) and reads_ajax_header(helper, lookup, hops - 1):
                    return True
    return False
