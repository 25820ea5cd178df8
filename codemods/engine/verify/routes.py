"""Where each report entry lives in the generated code: its module, its handler's lines, and for
a route the method and path of the decorator it became."""

from __future__ import annotations

import ast
import functools
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from codemods.engine.findings import Finding

HOST = "localhost"
BASE_URL = f"http://{HOST}"  # what both sides are called at (calls.py), and the report shows

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


@dataclass(frozen=True)
class RouteCall:
    module: str  # the generated file, relative to DEST (posix)
    handler: str
    method: str
    path: str  # as the decorator writes it, without the router's prefix
    name: str | None = None  # set: the route is found by its name (see `named_route_calls`)
    by_path: bool = False  # registered without a name: the legacy URL is found by `path`
    # set: the route also takes a form's submission with this method, posted after its GET
    # (form_pass.py)
    form_method: str | None = None
    # set: its view reads the AJAX header (`X-Requested-With`); it is also called with it
    ajax: bool = False
    # what its view reads of the submission, posted to a route taking POST only (its POST
    # call and its button's form): key -> the "Model.field" a lookup compares it with (None:
    # none), and the forms it builds on the whole submission, by their names in its module
    post_keys: tuple[tuple[str, str | None], ...] = ()
    post_forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Handler:
    first_line: int  # its first decorator
    last_line: int
    routes: tuple[tuple[str, str], ...]  # (METHOD, path) per route decorator, in order


def generated_module(finding: Finding, dest: Path) -> str | None:
    """The entry's generated file relative to DEST, or None when it has none under DEST."""
    if not finding.target:
        return None
    text = finding.target
    head, _, tail = text.rpartition(":")
    if head and tail.isdigit():
        text = head
    return _under(text, str(dest), os.getcwd())


@functools.lru_cache(maxsize=4096)
def _under(target: str, dest: str, cwd: str) -> str | None:
    """`target` relative to DEST, both resolved from `cwd` (every entry of a module shares its
    file: resolved once, not once per entry and per question)."""
    try:
        return Path(cwd, target).resolve().relative_to(Path(cwd, dest).resolve()).as_posix()
    except ValueError:
        return None


@functools.lru_cache(maxsize=256)
def handlers(source: str) -> dict[str, Handler]:
    """Every function of a module with its line span and the routes its decorators declare (a
    module's text is read once per run: the calls and the report entries both ask; callers do
    not change the answer)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found: dict[str, Handler] = {}
    for node in statements(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        routes = tuple(r for d in node.decorator_list for r in _routes_of(d))
        first = min((d.lineno for d in node.decorator_list), default=node.lineno)
        found.setdefault(node.name, Handler(first, node.end_lineno or node.lineno, routes))
    return found


def handler_of(sources: dict[str, str], module: str | None, name: str) -> Handler | None:
    """The function `name` of the generated `module` (relative to DEST), when its text is in
    `sources`: only the modules a route entry names are parsed."""
    text = sources.get(module) if module is not None else None
    return None if text is None else handlers(text).get(name)


# The fields that hold statements (a function is only ever a statement).
_BODIES = ("body", "handlers", "orelse", "finalbody", "cases")


def statements(tree: ast.Module) -> Iterator[ast.AST]:
    """The statements of a module (and its `except` and `case` clauses), in `ast.walk`'s order,
    without descending into expressions."""
    pending: deque[ast.AST] = deque([tree])
    while pending:
        node = pending.popleft()
        for name in node._fields:
            if name in _BODIES:
                pending.extend(getattr(node, name))
        yield node


def _routes_of(decorator: ast.expr) -> list[tuple[str, str]]:
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return []
    verb = decorator.func.attr
    path = decorator.args[0] if decorator.args else None
    if not (isinstance(path, ast.Constant) and isinstance(path.value, str)):
        return []
    if verb in HTTP_METHODS:
        return [(verb.upper(), path.value)]
    if verb == "api_route":
        for keyword in decorator.keywords:
            if keyword.arg == "methods" and isinstance(keyword.value, ast.List | ast.Tuple):
                return [
                    (str(e.value).upper(), path.value)
                    for e in keyword.value.elts
                    if isinstance(e, ast.Constant)
                ]
        return [("GET", path.value)]
    return []


def route_calls(
    findings: list[Finding], dest: Path, sources: dict[str, str]
) -> dict[int, RouteCall]:
    """The call each route entry stands for, by the entry's index in `findings`: the k-th entry
    of a handler is its k-th route decorator (the codemod writes them in that order). What its
    details say its view reads of the submission (`post_keys`) is posted to it."""
    seen: dict[tuple[str, str], int] = {}
    calls: dict[int, RouteCall] = {}
    for index, finding in enumerate(findings):
        if finding.kind != "route":
            continue
        module = generated_module(finding, dest)
        handler = finding.target_symbol or finding.symbol
        known = handler_of(sources, module, handler)
        if module is None or known is None:
            continue
        k = seen[(module, handler)] = seen.get((module, handler), -1) + 1
        if k < len(known.routes):
            method, path = known.routes[k]
            keys = tuple((finding.details.get("post_keys") or {}).items())
            calls[index] = RouteCall(module, handler, method, path, post_keys=keys)
    return calls


def named_route_calls(
    findings: list[Finding], dest: Path, known: dict[int, RouteCall]
) -> dict[int, RouteCall]:
    """Calls for the route entries registered by a call rather than by a decorator (the Django
    codemod's `router.add_api_route(path, view, methods=[...], name=...)`): an entry whose
    details carry `path` and `methods` is called once, with GET when it allows it; found by its
    `name`, or by its full path when it has none (a Django pattern without `name=`). A route
    that allows POST is also posted a form (`form_method`, form_pass.py): a valid submission of
    its page's forms when it answers GET, else its CSRF token alone (a button's form). A route
    whose details say `ajax` (its view reads the AJAX header) is also called with that header;
    one taking POST only is posted what its details say its view reads (`post_keys`,
    `post_forms`)."""
    calls: dict[int, RouteCall] = {}
    for index, finding in enumerate(findings):
        details = finding.details
        if finding.kind != "route" or index in known or "name" not in details:
            continue
        module = generated_module(finding, dest)
        methods = details.get("methods") or []
        path = details.get("path")
        if module is None or not path or not methods:
            continue
        method = "GET" if "GET" in methods else methods[0]
        form = "POST" if "POST" in methods else None
        name = details["name"]
        found = RouteCall(
            module,
            name or path,
            method,
            path,
            name=name or None,
            by_path=not name,
            form_method=form,
            ajax=bool(details.get("ajax")),
            post_keys=tuple((details.get("post_keys") or {}).items()),
            post_forms=tuple(details.get("post_forms") or ()),
        )
        calls[index] = found
    return calls
