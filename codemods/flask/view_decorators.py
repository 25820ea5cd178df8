"""The app's own view decorators that work unchanged on the generated routes.

A decorator like flaskr's `login_required`

    def login_required(view):
        @functools.wraps(view)
        def wrapped_view(**kwargs):
            if g.user is None:
                return redirect(url_for("auth.login"))
            return view(**kwargs)
        return wrapped_view

passes the view's keyword arguments through: FastAPI reads the route's parameters from the
signature `functools.wraps` exposes (`__wrapped__`), and calls the wrapper with them. Its body is
converted like any module helper (`g`, `redirect`, `url_for`), so the decorated route needs no
edit. Found by name in the legacy package before the views are checked.
"""

from __future__ import annotations

import functools
from pathlib import Path

import libcst as cst

from codemods.engine.nodes import dotted_name
from codemods.engine.package_files import python_files, stamps
from codemods.engine.parsed import parse_shared
from codemods.engine.walk import in_order

WRAPS = ("wraps", "functools.wraps")


def passes_keywords_through(function: cst.FunctionDef) -> bool:
    """`def wrapper(**kwargs)`, `def wrapper(*args, **kwargs)` or `def wrapper(table, *args,
    **kwargs)` (a path parameter it reads first), decorated with `wraps(...)`: FastAPI calls it
    with every parameter by keyword."""
    if not any(
        isinstance(d.decorator, cst.Call) and dotted_name(d.decorator.func) in WRAPS
        for d in function.decorators
    ):
        return False
    params = function.params
    return (
        not params.kwonly_params
        and not params.posonly_params
        and all(p.default is None for p in params.params)
        and isinstance(params.star_kwarg, cst.Param)
    )


def is_view_decorator(function: cst.FunctionDef) -> bool:
    """A one-argument function returning a nested `wraps` wrapper that passes keywords on."""
    if len(function.params.params) != 1 or not isinstance(function.body, cst.IndentedBlock):
        return False
    wrappers = {
        s.name.value
        for s in function.body.body
        if isinstance(s, cst.FunctionDef) and passes_keywords_through(s)
    }
    for statement in function.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                returned = small.value if isinstance(small, cst.Return) else None
                if isinstance(returned, cst.Name) and returned.value in wrappers:
                    return True
    return False


def consumes_view_result(function: cst.FunctionDef) -> bool:
    """A one-argument decorator whose `wraps` wrapper does something with what the view returns
    (rq-dashboard's `jsonify`: `result = f(*args, **kwargs)`, then `flask_jsonify(**result)`):
    the view's own return values are the decorator's input, not Flask's."""
    if len(function.params.params) != 1 or not isinstance(function.body, cst.IndentedBlock):
        return False
    view = function.params.params[0].name.value
    for wrapper in function.body.body:
        if not isinstance(wrapper, cst.FunctionDef) or not any(
            isinstance(d.decorator, cst.Call) and dotted_name(d.decorator.func) in WRAPS
            for d in wrapper.decorators
        ):
            continue
        finder = _ViewCalls(view)
        in_order(wrapper.body, finder)
        if finder.calls and finder.calls != finder.returned:
            return True
    return False


class _ViewCalls(cst.CSTVisitor):
    """Calls of the wrapped view, and those returned as they are (`return f(*a, **k)`)."""

    def __init__(self, view: str) -> None:
        self.view = view
        self.calls = 0
        self.returned = 0

    def visit_Call(self, node: cst.Call) -> None:
        if dotted_name(node.func) == self.view:
            self.calls += 1

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Call) and dotted_name(node.value.func) == self.view:
            self.returned += 1


def result_decorators(module: cst.Module) -> set[str]:
    """The module's own decorators that consume what the view returns (`consumes_view_result`)."""
    return {
        s.name.value
        for s in module.body
        if isinstance(s, cst.FunctionDef) and consumes_view_result(s)
    }


def module_decorators(source: str) -> set[str]:
    try:
        module = parse_shared(source)  # the run's conversion of the module takes it
    except cst.ParserSyntaxError:
        return set()
    return {
        s.name.value for s in module.body if isinstance(s, cst.FunctionDef) and is_view_decorator(s)
    }


@functools.lru_cache(maxsize=16)
def _scan(stamps: tuple[tuple[str, int], ...]) -> frozenset[str]:
    found: set[str] = set()
    for path_text, _ in stamps:
        source = Path(path_text).read_text(encoding="utf-8", errors="replace")
        if "wraps" in source:
            found |= module_decorators(source)
    return frozenset(found)


def view_decorators(root: Path) -> frozenset[str]:
    """The names of the package's own keyword-passing view decorators."""
    return _scan(stamps(python_files(root)))
