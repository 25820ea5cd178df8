"""Which request data a function view reads, as typed FastAPI parameters (rules/request_data.py
writes them).

    q = request.GET.get("q")                 ->  q: str | None = Query(None)
    page = request.GET.get("page", "1")      ->  page: str = Query("1")
    tags = request.GET.getlist("tag")        ->  tag: list[str] = Query([])
    request.GET["q"]                         ->  present(q, "q")
    request.POST.get("title", "")            ->  title: str = Form("")
    request.POST.get("title")                ->  last(title), title: list[str] = Form([])
    request.headers.get("X-Token")           ->  joined(x_token),
    request.META.get("HTTP_X_TOKEN")             x_token: list[str] = Header([], alias="x-token")
    data = json.loads(request.body)          ->  data: JsonBody   (first statement only)

Each read keeps Django's value: the last value of a repeated key (FastAPI's `Query()` string
takes the last one too), the default for a missing key, "" for an empty form field (read as a
list: FastAPI's `Form()` string would give the default), headers case-insensitive and repeated
ones joined with "," as in `META`, `MultiValueDictKeyError` (a 500) for a missing key read with
`[]`. `json.loads(request.body)` becomes a parameter only as the view's first statement: a
dependency runs before the view, so a later read (after an early return, inside a `try` that
answers a malformed body itself) stays as written. What stays on the Django request, and why, is
in `kept`: `request.FILES` (the view uses Django's `UploadedFile` API) and such JSON reads.
Nothing is converted in a view that rebinds its request parameter.
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
from dataclasses import dataclass, field

import libcst as cst

from codemods.engine.nodes import descendants, dotted_name, param_names, string_value
from codemods.engine.walk import in_order

RUNTIME = "codemods.runtime.django.request_data"
# request attribute -> (FastAPI parameter function, what it reads)
SOURCES = {"GET": "Query", "POST": "Form", "headers": "Header", "META": "Header"}
RESERVED = frozenset({"request", "session"})
LITERAL_TYPES = {cst.Integer: "int", cst.Float: "float"}
NAME_LITERALS = {"None": None, "True": "bool", "False": "bool"}
FILES_KEPT = "request.FILES stays on the Django request (the view uses Django's UploadedFile API)"
JSON_KEPT = (
    "json.loads(request.body) stays on the Django request: not the view's first statement "
    "(a dependency would parse the body before the view runs)"
)


@dataclass(frozen=True)
class Read:
    """One read of request data: `request.GET.get("q", "")` and friends."""

    node: cst.BaseExpression
    source: str  # Query | Form | Header
    key: str  # the query or form key; the header name, lower-case
    kind: str  # get | getlist | item
    default: cst.BaseExpression | None = None

    @property
    def shape(self) -> str:
        """`one` (a string parameter) or `all` (a list parameter: every value). A form field
        read as `.get(key, "")` only is `one` too (`Form("")`: an empty field and a missing one
        both give ""); the planner decides that for the key's reads together."""
        if self.kind == "getlist" or self.source in ("Form", "Header"):
            return "all"
        return "one"

    @property
    def empty_default(self) -> bool:
        return self.kind == "get" and string_value(self.default) == ""


@dataclass
class Param:
    name: str
    source: str
    key: str
    annotation: str
    default: str  # the code of the parameter's default (`Query(None)`, `JsonBody`: none)

    @property
    def code(self) -> str:
        if self.source == "Json":
            return f"{self.name}: JsonBody"
        return f"{self.name}: {self.annotation} = {self.default}"


@dataclass
class RequestPlan:
    params: list[Param] = field(default_factory=list)
    replacements: dict[cst.CSTNode, str] = field(default_factory=dict)  # node -> its new code
    dropped: set[cst.CSTNode] = field(default_factory=set)  # `q = q` statements, removed
    helpers: set[str] = field(default_factory=set)  # names imported from the runtime
    kept: list[str] = field(default_factory=list)  # what stays on the Django request, and why


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _data(node: cst.BaseExpression, request: str) -> str | None:
    """`GET`/`POST`/`headers`/`META` of `request.GET` and friends."""
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == request
        and node.attr.value in SOURCES
    ):
        return node.attr.value
    return None


def _key(attribute: str, key: str) -> tuple[str, str] | None:
    """(parameter function, key) of a literal key of `request.<attribute>`; None for a `META`
    key that is not a request header (`REMOTE_ADDR`)."""
    if attribute == "META":
        if not key.startswith("HTTP_") or len(key) == 5:
            return None
        return "Header", key[5:].lower().replace("_", "-")
    if attribute == "headers":
        return "Header", key.lower()
    return SOURCES[attribute], key


def read_of(node: cst.CSTNode, request: str) -> Read | None:
    """The read `node` is, if it is one the codemod converts."""
    if type(node) is cst.Call and type(node.func) is cst.Attribute:
        attribute = _data(node.func.value, request)
        method = node.func.attr.value
        if attribute is None or method not in ("get", "getlist") or not node.args:
            return None
        if any(a.star or a.keyword is not None for a in node.args) or len(node.args) > 2:
            return None
        key = string_value(node.args[0].value)
        found = _key(attribute, key) if key is not None else None
        if found is None or (method == "getlist" and (attribute != "GET" and attribute != "POST")):
            return None
        if method == "getlist" and len(node.args) > 1:
            return None  # getlist(key, default): kept (rare)
        default = node.args[1].value if len(node.args) > 1 else None
        return Read(node, found[0], found[1], method, default)
    if type(node) is cst.Subscript and len(node.slice) == 1:
        attribute = _data(node.value, request)
        index = node.slice[0].slice
        if attribute is None or not isinstance(index, cst.Index):
            return None
        key = string_value(index.value)
        found = _key(attribute, key) if key is not None else None
        if found is None:
            return None
        return Read(node, found[0], found[1], "item")
    return None


def _literal_type(node: cst.BaseExpression | None) -> str | None:
    """`str`, `int`, ... of a literal default; `None` for `None` (or no default)."""
    if node is None:
        return None
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        return "str" if string_value(node) is not None else "?"
    for kind, name in LITERAL_TYPES.items():
        if isinstance(node, kind):
            return name
    if isinstance(node, cst.Name) and node.value in NAME_LITERALS:
        return NAME_LITERALS[node.value]
    return "?"


def _identifier(key: str) -> str:
    name = re.sub(r"\W", "_", key.lower() if key.isupper() else key)
    if not name or name[0].isdigit():
        name = "p_" + name
    if keyword.iskeyword(name) or name in RESERVED or hasattr(builtins, name):
        name += "_"
    return name


class _Names(cst.CSTVisitor):
    """The variable names spelled (not attribute names, nor keywords of a call)."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.found.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        in_order(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        in_order(node.value, self)
        return False


def _names(node: cst.CSTNode) -> set[str]:
    names = _Names()
    in_order(node, names)  # node.visit(names), rebuilding nothing
    return names.found


# Node types compared with `type(node) in` rather than `isinstance`: libcst's node classes are
# final, and a miss through their ABC metaclass's `__instancecheck__` costs a Python call at
# every node of every view.
ASSIGNMENTS = frozenset({cst.AssignTarget, cst.AugAssign, cst.AnnAssign})
SCOPE_STATEMENTS = frozenset({cst.Global, cst.Nonlocal})


def _rebinds(nodes: list[cst.CSTNode], request: str) -> bool:
    """The view (whose body's nodes are `nodes`) assigns its request parameter or one of its
    attributes, or a nested function or lambda takes one."""
    for node in nodes:
        kind = type(node)
        if kind in ASSIGNMENTS:
            target = node.target  # type: ignore[attr-defined]
            if not _spells(target, request):
                continue  # its code cannot start with the request's name: no need to render it
            code = _source(target)
            if code == request or code.startswith(f"{request}."):
                return True  # the request, or its data (`request.GET = ...`)
        elif kind in SCOPE_STATEMENTS or (
            kind is cst.Param and node.name.value == request  # type: ignore[attr-defined]
        ):
            return True
    return False


def _spells(node: cst.CSTNode, name: str) -> bool:
    """A `Name` node `name` is under `node` (every identifier of its code is one)."""
    return any(type(n) is cst.Name and n.value == name for n in descendants(node))


def _statements(function: cst.FunctionDef) -> list[cst.BaseStatement]:
    body = function.body
    return list(body.body) if isinstance(body, cst.IndentedBlock) else []


def _assigned_read(statement: cst.BaseStatement, request: str) -> tuple[str, Read] | None:
    """(name, read) of a top-level `name = <read>`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not isinstance(node, cst.Assign) or len(node.targets) != 1:
        return None
    target = node.targets[0].target
    read = read_of(node.value, request)
    if not isinstance(target, cst.Name) or read is None:
        return None
    return target.value, read


def _json_read(node: cst.CSTNode, request: str) -> bool:
    """`json.loads(request.body)`."""
    if type(node) is not cst.Call or dotted_name(node.func) != "json.loads":
        return False
    if len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star:
        return False
    return dotted_name(node.args[0].value) == f"{request}.body"


def _first_statement(function: cst.FunctionDef) -> int:
    """The index of the first statement after the docstring."""
    statements = _statements(function)
    if statements and isinstance(statements[0], cst.SimpleStatementLine):
        first = statements[0].body[0] if statements[0].body else None
        if isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
            return 1
    return 0


class _Planner:
    def __init__(self, function: cst.FunctionDef, request: str) -> None:
        self.function = function
        self.request = request
        self.own = param_names(function.params)  # the view's own parameters
        self.taken = _names(function)  # names the function's parameters or body use
        self.plan = RequestPlan()
        self.params: dict[tuple[str, str, str], Param] = {}  # (source, key, shape) -> param
        self.statements = _statements(function)

    def free_name(self, key: str, source: str, shape: str) -> tuple[str, cst.CSTNode | None]:
        """The parameter's name and the statement `name = <read>` it makes useless: the key's
        own name when the first top-level statement spelling it assigns it this read."""
        base = _identifier(key)
        if shape == "all" and source == "Query":
            base = f"{base}_list" if (source, key, "one") in self.params else base
        chosen = {p.name for p in self.params.values()}
        if base in chosen:
            base = f"{base}_{source.lower()}"
        if base not in self.taken and base not in chosen:
            return base, None
        candidates = [] if base in self.own or base in chosen else self.statements
        for statement in candidates:
            if base not in _names(statement):
                continue
            found = _assigned_read(statement, self.request)
            if found is not None and found[0] == base:
                read = found[1]
                if (read.source, read.key) == (source, key):
                    return base, statement
            break
        name = f"{base}_{source.lower()}"
        while name in self.taken or name in chosen:
            name += "_"
        return name, None

    def reads(self) -> list[Read]:
        """The reads, in the order of the source."""
        request = self.request
        found: list[Read] = []

        class Reads(cst.CSTVisitor):
            def on_visit(self, node: cst.CSTNode) -> bool:
                read = read_of(node, request)
                if read is not None:
                    found.append(read)
                return True

        in_order(self.function.body, Reads())  # libcst's visit, rebuilding nothing
        return found

    def run(self) -> RequestPlan:
        nodes = list(descendants(self.function.body))
        if _rebinds(nodes, self.request):
            return self.plan
        self._json(nodes)
        reads = self.reads()
        plain = {r.key for r in reads if r.source == "Form" and r.empty_default} - {
            r.key for r in reads if r.source == "Form" and not r.empty_default
        }
        for read in reads:
            self._read(
                read, reads, "one" if read.key in plain and read.source == "Form" else read.shape
            )
        files = f"{self.request}.FILES"
        if any(
            type(node) is cst.Attribute and node.attr.value == "FILES" and _source(node) == files
            for node in nodes
        ):
            self.plan.kept.append(FILES_KEPT)
        self.plan.params = list(self.params.values())
        return self.plan

    def _json(self, nodes: list[cst.CSTNode]) -> None:
        reads = [n for n in nodes if _json_read(n, self.request)]
        if not reads:
            return
        index = _first_statement(self.function)
        statement = self.statements[index] if index < len(self.statements) else None
        target = _json_target(statement, self.request) if statement is not None else None
        if statement is None or target is None or len(reads) > 1 or target in self.own:
            self.plan.kept.append(JSON_KEPT)
            return
        self.params[("Json", "", "body")] = Param(target, "Json", "", "Any", "")
        self.plan.dropped.add(statement)
        self.plan.helpers.add("JsonBody")

    def _read(self, read: Read, reads: list[Read], shape: str) -> None:
        slot = (read.source, read.key, shape)
        param = self.params.get(slot)
        statement = None
        if param is None:
            same = [r for r in reads if (r.source, r.key) == (read.source, read.key)]
            name, statement = self.free_name(read.key, read.source, shape)
            param = self._param(name, read, shape, same)
            self.params[slot] = param
        code = self._expression(read, param, shape)
        self.plan.replacements[read.node] = code
        if statement is not None and code == param.name:  # `q = q`
            self.plan.dropped.add(statement)

    def _param(self, name: str, read: Read, shape: str, same: list[Read]) -> Param:
        alias = "" if name == read.key else f", alias={json.dumps(read.key)}"
        if shape == "all":
            return Param(name, read.source, read.key, "list[str]", f"{read.source}([]{alias})")
        if read.source == "Form":  # every read is .get(key, "")
            return Param(name, read.source, read.key, "str", f'Form(""{alias})')
        defaults = {(_source(r.default) if r.default is not None else "None") for r in same}
        kinds = {r.kind for r in same}
        literal = _literal_type(read.default)
        if len(defaults) == 1 and kinds == {"get"} and literal != "?":
            default = defaults.pop()
            annotation = "str" if literal == "str" else f"str | {literal or 'None'}"
            return Param(name, read.source, read.key, annotation, f"Query({default}{alias})")
        return Param(name, read.source, read.key, "str | None", f"Query(None{alias})")

    def _expression(self, read: Read, param: Param, shape: str) -> str:
        """The code that gives the view the value Django's read gives."""
        value = param.name
        default = _source(read.default) if read.default is not None else None
        default = None if default == "None" else default
        if shape == "all" and read.kind != "getlist":
            helper = "joined" if read.source == "Header" else "last"
            self.plan.helpers.add(helper)
            value = f"{helper}({param.name}, {default})" if default else f"{helper}({param.name})"
        elif read.kind == "get" and default is not None and param.annotation == "str | None":
            value = f"({param.name} if {param.name} is not None else {default})"
        if read.kind == "item":
            self.plan.helpers.add("present")
            error = ", KeyError" if read.source == "Header" else ""
            value = f"present({value}, {json.dumps(read.key)}{error})"
        return value


def _json_target(statement: cst.BaseStatement, request: str) -> str | None:
    """`name` of a statement `name = json.loads(request.body)`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not isinstance(node, cst.Assign) or len(node.targets) != 1:
        return None
    target = node.targets[0].target
    if isinstance(target, cst.Name) and _json_read(node.value, request):
        return target.value
    return None


def request_plan(function: cst.FunctionDef) -> RequestPlan:
    """The typed parameters of the request data `function` (a function view) reads."""
    params = [*function.params.posonly_params, *function.params.params]
    if not params:
        return RequestPlan()
    return _Planner(function, params[0].name.value).run()
