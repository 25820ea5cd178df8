"""What a function view's templates read of the rows its translated queries give them: the same
check as a generic view's (template_reads.py), on the context of its `render(...)`,
`TemplateResponse(...)` and `render_to_string(...)` calls.

The rows are followed from the translated querysets (a list of rows; an object for `.get()`,
`.first()`, `get_object_or_404`, `[0]`) through the names they are assigned to, `for` loops,
calls given them first (`yt_paginate(topics, ...)`, `Paginator(topics, 10)`, `list(topics)`)
and those calls' methods (`paginator.page(n)`): still their rows; not a form given them as
`instance=` (its fields are the form's), nor a row's attributes or methods; and into
the module's functions the view hands them to (`_index(request, queryset=rows,
template="x.html")`, whose parameters then hold them and the template's name). A context value
holding rows makes its key a list or an object of their model for the template check; a
template named by something else than a string, or a context other than a dict the function
builds, given rows, is a reason too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from codemods.django.querysets import CONTEXT_ROWS, TABLES, Translation
from codemods.django.template_reads import ModelFacts, Reads, template_problems
from codemods.engine.nodes import dotted_name
from codemods.engine.walk import in_order

# renderer (last part of its dotted name) -> (template's position, keyword; context's, keyword)
RENDERERS = {
    "render": (1, "template_name", 2, "context"),
    "TemplateResponse": (1, "template", 2, "context"),
    "render_to_string": (0, "template_name", 1, "context"),
}
OBJECT_TERMINALS = frozenset({"get", "first", "last", "earliest", "latest", "create"})
NOT_ROWS = frozenset(
    {"count", "exists", "aggregate", "update", "delete", "save", "values", "values_list"}
)
TABLE = re.compile(rf"\b{TABLES}\.(\w+)")
DEPTH = 4  # module functions followed, call in call


@dataclass(frozen=True)
class Held:
    """Rows a name or expression holds: of which model, a list of them or one."""

    model: str
    listing: bool


@dataclass
class _Scope:
    held: dict[str, Held] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)
    dicts: dict[str, dict[str, cst.BaseExpression]] = field(default_factory=dict)
    unread_dicts: set[str] = field(default_factory=set)
    # the nodes given as `context_rows(session, stmt)` (view_queries.py): rows answering a
    # template's `count`, `exists` and `all` as Django's queryset
    context_rows: frozenset[int] = frozenset()


def template_reasons(
    view: cst.FunctionDef,
    translations: dict[cst.CSTNode, Translation],
    functions: dict[str, cst.FunctionDef],
    root: Path,
    classes: dict[str, str],
    facts: dict[str, ModelFacts],
    renderers: dict[str, tuple[int, str, int, str]] | None = None,
) -> list[str]:
    """Why the rows of `translations` (the view's, keyed by their legacy nodes) cannot stand in
    for Django's instances in the templates `view` renders (`classes`: the module's local name
    of each model -> its class; `facts`: template_reads.read_models; `renderers`: more
    renderers by their full dotted name, a class view's own `self.render_template`)."""
    chains: dict[int, Held] = {}
    for node, translation in translations.items():
        # a custom method returning one row is `get_or_404(...)` (querysets.py)
        listing = False if translation.code.startswith("get_or_404(") else _listing(node)
        found = TABLE.search(translation.code)
        if listing is not None and found is not None:
            local = found.group(1)
            chains[id(node)] = Held(classes.get(local, local), listing)
    reasons: list[str] = []
    scope = _Scope(context_rows=frozenset(
        id(node) for node, translation in translations.items()
        if translation.code.startswith(f"{CONTEXT_ROWS}(")
    ))  # fmt: skip
    _follow(view, scope, chains, functions, root, facts, reasons, DEPTH, renderers or {})
    return [f"SQLAlchemy rows cannot stand in: {r}" for r in dict.fromkeys(reasons)]


def _listing(node: cst.CSTNode) -> bool | None:
    """Whether a translated chain gives a list of rows (True), one row (False) or none."""
    if isinstance(node, cst.Call):
        if dotted_name(node.func) == "get_object_or_404":
            return False
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in NOT_ROWS:
                return None
            if method in OBJECT_TERMINALS:
                return False
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        return not isinstance(node.slice[0].slice, cst.Index)
    return True


class _Mentions(cst.CSTVisitor):
    def __init__(self, scope: _Scope, chains: dict[int, Held]) -> None:
        self.scope = scope
        self.chains = chains
        self.found: list[Held] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.chains:
            self.found.append(self.chains[id(node)])
            return False
        if isinstance(node, cst.Name) and node.value in self.scope.held:
            self.found.append(self.scope.held[node.value])
        return True


def _held(node: cst.BaseExpression, scope: _Scope, chains: dict[int, Held]) -> Held | None:
    if id(node) in chains:
        return chains[id(node)]
    if isinstance(node, cst.Name):
        return scope.held.get(node.value)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        owner = _held(node.value, scope, chains)
        if owner is not None and owner.listing and isinstance(node.slice[0].slice, cst.Index):
            return Held(owner.model, False)
        return owner
    if isinstance(node, cst.Attribute):  # `page.object_list`; a row's attribute is no row
        owner = _held(node.value, scope, chains)
        return owner if owner is not None and owner.listing else None
    if isinstance(node, cst.Call):  # still the rows: `paginator.page(n)`, `yt_paginate(rows)`
        if isinstance(node.func, cst.Attribute):
            owner = _held(node.func.value, scope, chains)
            return owner if owner is not None and owner.listing else None
        first = _argument(node, 0, "")
        held = _held(first, scope, chains) if first is not None else None
        # a function given them by keyword or further on: `paginate(request, query_set=rows)`;
        # not a class (a form given rows, `NoteForm(instance=note, note=note)`, takes them as its
        # twin's own, which the form-twin rule checks)
        others = (
            _held(arg.value, scope, chains)
            for arg in node.args
            if arg.value is not first and not _class_name(node.func)
        )
        return held or next((found for found in others if found is not None), None)
    if isinstance(node, cst.Dict):
        return None
    mentions = _Mentions(scope, chains)
    in_order(node, mentions)
    if not mentions.found:
        return None
    models = sorted({held.model for held in mentions.found})
    model = models[0] if len(models) == 1 else " or ".join(models)
    return Held(model, any(held.listing for held in mentions.found))


def _string(node: cst.BaseExpression, scope: _Scope) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.Name):
        return scope.strings.get(node.value)
    return None


def _dict(
    node: cst.BaseExpression, scope: _Scope | None = None
) -> dict[str, cst.BaseExpression] | None:
    """The entries of a dict literal with string keys (or `dict(a=...)`), a key also a name
    holding a known string (`{context_name: items}`, the parameter given "topics"); None:
    another value."""
    entries: dict[str, cst.BaseExpression] = {}
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return None
            key = element.key
            value = key.evaluated_value if isinstance(key, cst.SimpleString) else None
            if isinstance(key, cst.Name) and scope is not None:
                value = scope.strings.get(key.value)
            if not isinstance(value, str):
                return None
            entries[value] = element.value
        return entries
    if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        for argument in node.args:
            if argument.keyword is None:
                return None
            entries[argument.keyword.value] = argument.value
        return entries
    return None


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if position < len(positional):
        return positional[position].value
    return next((a.value for a in call.args if a.keyword and a.keyword.value == keyword), None)


class _Statements(cst.CSTVisitor):
    """The function's assignments, loops and calls, in the order written."""

    def __init__(self, scope: _Scope, chains: dict[int, Held]) -> None:
        self.scope = scope
        self.chains = chains
        self.calls: list[cst.Call] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function: not followed

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assign(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value)

    def _assign(self, target: cst.BaseAssignTargetExpression, value: cst.BaseExpression) -> None:
        scope = self.scope
        if isinstance(target, cst.Name):
            name = target.value
            scope.held.pop(name, None)
            scope.strings.pop(name, None)
            held = _held(value, scope, self.chains)
            if held is not None:
                scope.held[name] = held
            text = _string(value, scope)
            if text is not None:
                scope.strings[name] = text
            entries = _dict(value, scope)
            if entries is not None:
                scope.dicts[name] = dict(entries)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            entries = scope.dicts.get(target.value.value)
            key = target.slice[0].slice if len(target.slice) == 1 else None
            index = key.value if isinstance(key, cst.Index) else None
            label = index.evaluated_value if isinstance(index, cst.SimpleString) else None
            if entries is not None and isinstance(label, str):
                entries[label] = value
            elif entries is not None:
                scope.unread_dicts.add(target.value.value)

    def visit_For(self, node: cst.For) -> None:
        held = _held(node.iter, self.scope, self.chains)
        if held is not None and isinstance(node.target, cst.Name):
            self.scope.held[node.target.value] = Held(held.model, False)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "update"
            and isinstance(func.value, cst.Name)
            and func.value.value in self.scope.dicts
        ):
            self.scope.unread_dicts.add(func.value.value)


def _follow(
    function: cst.FunctionDef,
    scope: _Scope,
    chains: dict[int, Held],
    functions: dict[str, cst.FunctionDef],
    root: Path,
    facts: dict[str, ModelFacts],
    reasons: list[str],
    depth: int,
    renderers: dict[str, tuple[int, str, int, str]],
) -> None:
    statements = _Statements(scope, chains)
    in_order(function.body, statements)
    for call in statements.calls:
        name = dotted_name(call.func) or ""
        renderer = renderers.get(name) or RENDERERS.get(name.rsplit(".", 1)[-1])
        if renderer is not None:
            reasons += _render_problems(call, renderer, scope, chains, root, facts)
        elif name in functions and depth > 0:
            bound = _bound(functions[name], call, scope, chains)
            if bound is not None:
                callee = functions[name]
                _follow(callee, bound, chains, functions, root, facts, reasons, depth - 1, {})


def _bound(
    function: cst.FunctionDef, call: cst.Call, scope: _Scope, chains: dict[int, Held]
) -> _Scope | None:
    """The callee's parameters holding rows or strings (None: it is given no rows)."""
    params = [*function.params.posonly_params, *function.params.params]
    params += [*function.params.kwonly_params]
    names = [p.name.value for p in params]
    bound = _Scope()
    positional = [a for a in call.args if a.keyword is None and not a.star]
    pairs = [(names[i], a.value) for i, a in enumerate(positional) if i < len(names)]
    pairs += [(a.keyword.value, a.value) for a in call.args if a.keyword is not None]
    for name, value in pairs:
        held = _held(value, scope, chains)
        if held is not None:
            bound.held[name] = held
        text = _string(value, scope)
        if text is not None:
            bound.strings[name] = text
    return bound if bound.held else None


def _render_problems(
    call: cst.Call,
    renderer: tuple[int, str, int, str],
    scope: _Scope,
    chains: dict[int, Held],
    root: Path,
    facts: dict[str, ModelFacts],
) -> list[str]:
    template_at, template_keyword, context_at, context_keyword = renderer
    template_node = _argument(call, template_at, template_keyword)
    context_node = _argument(call, context_at, context_keyword)
    if context_node is None:
        return []
    entries = _dict(context_node, scope)
    if isinstance(context_node, cst.Name):
        entries = scope.dicts.get(context_node.value)
        if context_node.value in scope.unread_dicts:
            entries = None
    if entries is None:
        if _held(context_node, scope, chains) is None and not scope.held:
            return []
        return ["a template is given a context the codemod does not read, with rows in reach"]
    reads = Reads(plain=True)  # the function view's lists of rows are Python lists
    for key, value in entries.items():
        held = _held(value, scope, chains)
        if held is not None:
            (reads.lists if held.listing else reads.objects)[key] = held.model
            if held.listing and id(value) in scope.context_rows:
                reads.rows.add(key)
    if not reads.lists and not reads.objects:
        return []
    template = _string(template_node, scope) if template_node is not None else None
    if template is None:
        return ["a template named by something other than a string is given rows"]
    for model in {*reads.lists.values(), *reads.objects.values()}:
        if model not in facts:
            return [f"model {model} is not a class of a models module the codemod reads"]
    return template_problems(root, template, reads, facts)


def _class_name(func: cst.BaseExpression) -> bool:
    """Whether a call of `func` names a class, by Python's naming (`NoteForm`, `forms.Form`)."""
    name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
    return isinstance(name, str) and name[:1].isupper()
