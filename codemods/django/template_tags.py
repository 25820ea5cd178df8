"""What the template tags of SRC read of a template's context, read with `ast` from their code:
the tags registered in its `templatetags` modules and in the modules of SRC those import (spirit's
`spirit_tags.py` imports `spirit.core.tags.settings`, which registers `load_settings` on the
shared library).

A `simple_tag` or an `inclusion_tag` registered without `takes_context=True` gets only its
arguments. One registered with it reads the context only where its code says so: a tag whose
`context` parameter is only indexed, `.get()` or `.setdefault()` by string literals reads those
keys and nothing else (spirit's `load_settings` fills `st_settings` from the settings,
`render_paginator` reads `context["request"]`):

    @register.simple_tag(takes_context=True)
    def load_settings(context, *settings):      reads the key `st_settings` only
        context.setdefault("st_settings", {}).update(...)

A parameter the tag only hands on, as a value of the context of the template it renders (an
inclusion tag's returned dict, `render_to_string(template, {"page": page})`, the template a
string or a name given only strings) and to `isinstance`, is read by that template alone under
its key (`TagFacts.forwards`, `TagFacts.templates`).

A `@register.tag` compiles its words into a `Node` of its module (django-postman's
`postman_order_by`, `postman_unread`, its `autopaginate` stand-in): its words stay strings when
the compile function never touches `parser` and neither it nor the node resolves a variable
(`Variable`, `compile_filter`, `FilterExpression`, `.resolve(`), so the tag is given no value of
the template (`TagFacts.literal`), and it reads the context where each node's `render(self,
context)` says so, read as a `takes_context` tag's is (`OrderByNode` reads `gets`); a key it only
sets (`context[self.asvar] = count`) is not read. Any other registration, a context used
otherwise, or the same name registered twice in different ways, is not known.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from codemods.django.handed_calls import Handed, handed_to

ARGUMENT_TAGS = frozenset({"simple_tag", "inclusion_tag"})
KEY_METHODS = frozenset({"get", "setdefault"})
RENDERERS = frozenset({"render_to_string"})


@dataclass(frozen=True)
class TagFacts:
    """What a tag of SRC reads besides its arguments."""

    context_keys: frozenset[str]  # the keys of the context it reads (empty: none)
    parameters: tuple[str, ...]  # after `context`, in order; `*name` for varargs
    forwards: dict[str, str] = field(default_factory=dict, compare=False)  # parameter -> key
    templates: tuple[str, ...] = ()  # the templates it renders with the forwarded keys
    # a parameter it hands to a function, not followed -> that function (`render_polls`)
    handed: dict[str, str] = field(default_factory=dict, compare=False)
    literal: bool = False  # its words are never resolved: the template gives it no value
    # such a function of SRC, and the callables of other modules of SRC it reaches
    leads: dict[str, Handed] = field(default_factory=dict, compare=False)


def read_tags(root: Path) -> dict[str, TagFacts]:
    """SRC's tags whose reads are known, by name (cached per SRC folder)."""
    return _read_tags(str(root))


def context_free_tags(root: Path) -> frozenset[str]:
    """The names of SRC's tags that see only their arguments."""
    return frozenset(name for name, tag in read_tags(root).items() if not tag.context_keys)


@cache
def _read_tags(root: str) -> dict[str, TagFacts]:
    known: dict[str, TagFacts] = {}
    other: set[str] = set()
    for module in _tag_modules(Path(root)):
        tree = _parse(module)
        if tree is None:
            continue
        classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                kind = _registration(decorator)
                if kind is None:
                    continue
                name = kind[0] or node.name
                facts = _node_facts(node, classes) if kind[1] == "tag" else _facts(node, *kind[1:])
                if facts is not None:
                    facts.leads.update(_leads(Path(root), module, tree, facts.handed))
                if facts is None or known.get(name, facts) != facts:
                    other.add(name)
                else:
                    known[name] = facts
    return {name: facts for name, facts in known.items() if name not in other}


def _leads(root: Path, module: Path, tree: ast.Module, handed: dict[str, str]) -> dict[str, Handed]:
    """Parameter -> the function of SRC it is handed to, and where that leads."""
    found: dict[str, Handed] = {}
    for parameter, callee in handed.items():
        lead = handed_to(
            root, module, tree, callee, lambda m, n, level: _module_folder(root, m, n, level)
        )
        if lead is not None:
            found[parameter] = lead
    return found


def _parse(module: Path) -> ast.Module | None:
    try:
        return ast.parse(module.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None


def _tag_modules(root: Path) -> list[Path]:
    """SRC's `templatetags/*.py` and the modules of SRC they import."""
    found: list[Path] = []
    for module in sorted(root.rglob("templatetags/*.py")):
        found.append(module)
        tree = _parse(module)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                base = _module_folder(root, module, node.module, node.level)
                if base is None:
                    continue
                found += [p for p in [base.with_suffix(".py"), base / "__init__.py"] if p.is_file()]
                found += [
                    base / f"{alias.name}.py"
                    for alias in node.names
                    if (base / f"{alias.name}.py").is_file()
                ]
    return list(dict.fromkeys(found))


def _module_folder(root: Path, module: Path, name: str | None, level: int) -> Path | None:
    """The path (without suffix) of module `name` imported from `module`, when it is in SRC."""
    parts = (name or "").split(".") if name else []
    if level:
        base = module.parent
        for _ in range(level - 1):
            base = base.parent
        return base.joinpath(*parts)
    if parts and parts[0] == root.name:
        return root.joinpath(*parts[1:])
    if parts and (root / parts[0]).is_dir():
        return root.joinpath(*parts)
    return None


def _registration(decorator: ast.expr) -> tuple[str | None, str, bool, str | None] | None:
    """(the tag's name if given, its kind, takes_context, an inclusion tag's template) of a
    `@register.<kind>` decorator; None: not a tag registration."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call is not None else decorator
    if not isinstance(target, ast.Attribute) or target.attr not in ARGUMENT_TAGS | {"tag"}:
        return None
    name: str | None = None
    takes_context = False
    template: str | None = None
    if call is not None:
        for keyword in call.keywords:
            value = keyword.value
            if keyword.arg == "name" and isinstance(value, ast.Constant):
                name = str(value.value)
            elif keyword.arg == "takes_context":
                takes_context = not (isinstance(value, ast.Constant) and value.value is False)
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if target.attr == "tag":
                name = first.value
            else:
                template = first.value
    return name, target.attr, takes_context, template


def _facts(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    kind: str,
    takes_context: bool,
    template: str | None,
) -> TagFacts | None:
    if kind not in ARGUMENT_TAGS:
        return None
    arguments = function.args
    names = [a.arg for a in [*arguments.posonlyargs, *arguments.args]]
    keys: frozenset[str] = frozenset()
    if takes_context:
        if not names:
            return None
        read = _context_keys(function, names[0])
        if read is None:
            return None
        keys, names = read, names[1:]
    names += [f"*{arguments.vararg.arg}"] if arguments.vararg else []
    names += [a.arg for a in arguments.kwonlyargs]
    templates, forwards = _forwards(function, kind, template)
    return TagFacts(keys, tuple(names), forwards, templates, _handed(function, names))


def _handed(function: ast.FunctionDef | ast.AsyncFunctionDef, names: list[str]) -> dict[str, str]:
    """Parameter -> the function (other than a renderer or `isinstance`) first given it as an
    argument (`render_polls(comment, ...)`): what it reads there is not followed."""
    found: dict[str, str] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name | ast.Attribute):
            continue
        callee = ast.unparse(node.func)
        if callee.rsplit(".", 1)[-1] in RENDERERS | {"isinstance"}:
            continue
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(argument, ast.Name) and argument.id in names:
                found.setdefault(argument.id, callee)
    return found


# what makes a tag's word a value of the template: the template language's variable resolution
RESOLVERS = frozenset({"Variable", "FilterExpression", "compile_filter", "resolve"})


def _node_facts(
    function: ast.FunctionDef | ast.AsyncFunctionDef, classes: dict[str, ast.ClassDef]
) -> TagFacts | None:
    """A `@register.tag` whose every return is a `Node` class of its module, its words kept as
    strings: the context keys the nodes' `render` reads (None: not known)."""
    arguments = [a.arg for a in function.args.args]
    if len(arguments) != 2 or function.args.vararg or function.args.kwonlyargs:
        return None
    parser = arguments[0]
    if any(isinstance(n, ast.Name) and n.id == parser for n in ast.walk(function)):
        return None
    returned: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Return):
            for value in _branches(node.value):
                if not (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Name)
                    and value.func.id in classes
                ):
                    return None
                returned.add(value.func.id)
    if not returned or _resolves(function):
        return None
    keys: set[str] = set()
    for name in sorted(returned):
        node_class = classes[name]
        if _resolves(node_class):
            return None
        renders = [
            s
            for s in node_class.body
            if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == "render"
        ]
        if len(renders) != 1 or len(renders[0].args.args) != 2:
            return None
        read = _context_keys(renders[0], renders[0].args.args[1].arg)
        if read is None:
            return None
        keys |= read
    return TagFacts(frozenset(keys), (), literal=True)


def _branches(value: ast.expr | None) -> list[ast.expr | None]:
    """The values a returned expression may be: each branch of `A(x) if c else A()`."""
    if isinstance(value, ast.IfExp):
        return [*_branches(value.body), *_branches(value.orelse)]
    return [value]


def _resolves(tree: ast.AST) -> bool:
    """Whether `tree` names the template language's variable resolution."""
    return any(
        (isinstance(n, ast.Name) and n.id in RESOLVERS)
        or (isinstance(n, ast.Attribute) and n.attr in RESOLVERS)
        for n in ast.walk(tree)
    )


def _context_keys(
    function: ast.FunctionDef | ast.AsyncFunctionDef, name: str
) -> frozenset[str] | None:
    """The string keys `function` reads of its context parameter `name` (None: it uses it
    otherwise: handed on, iterated, `.flatten()`, a key computed). A key only set
    (`context[key] = value`) is not read."""
    parents = _parents(function)
    keys: set[str] = set()
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == name) or node is function:
            continue
        parent = parents.get(id(node))
        if (
            isinstance(parent, ast.Subscript)
            and parent.value is node
            and isinstance(parent.ctx, ast.Store)
            and not isinstance(parents.get(id(parent)), ast.AugAssign)  # `+=` reads it too
        ):
            continue
        if (
            isinstance(parent, ast.Compare)
            and len(parent.ops) == 1
            and isinstance(parent.ops[0], ast.In | ast.NotIn)
            and parent.comparators[0] is node
        ):
            key = parent.left  # `"key" in context`
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            key = parent.slice
        elif isinstance(parent, ast.Attribute) and parent.attr in KEY_METHODS:
            call = parents.get(id(parent))
            if not isinstance(call, ast.Call) or call.func is not parent or not call.args:
                return None
            key = call.args[0]
        else:
            return None
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        keys.add(key.value)
    return frozenset(keys)


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _forwards(
    function: ast.FunctionDef | ast.AsyncFunctionDef, kind: str, template: str | None
) -> tuple[tuple[str, ...], dict[str, str]]:
    """(the templates the tag renders, parameter -> its key in their context) for the
    parameters used only as values of that context and in `isinstance`."""
    strings: dict[str, list[str]] = {}
    dicts: dict[str, ast.Dict] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if not isinstance(target, ast.Name):
                continue
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                strings.setdefault(target.id, []).append(node.value.value)
            elif isinstance(node.value, ast.Dict):
                dicts[target.id] = node.value
            else:
                strings[target.id] = [""]  # not only strings: not known
    contexts: list[ast.expr] = []
    templates: list[str] = []
    for node in ast.walk(function):
        if kind == "inclusion_tag" and isinstance(node, ast.Return) and node.value is not None:
            contexts.append(node.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and ast.unparse(node.func).rsplit(".", 1)[-1] in RENDERERS
            and len(node.args) == 2
        ):
            named = node.args[0]
            if isinstance(named, ast.Constant) and isinstance(named.value, str):
                templates.append(named.value)
            elif isinstance(named, ast.Name) and "" not in strings.get(named.id, [""]):
                templates += strings[named.id]
            else:
                return (), {}
            contexts.append(node.args[1])
    if template is not None:
        templates.append(template)
    values: dict[int, str] = {}  # id of a Name node given as a context value -> its key
    for context in contexts:
        found = dicts.get(context.id) if isinstance(context, ast.Name) else context
        if not isinstance(found, ast.Dict):
            continue
        for key, value in zip(found.keys, found.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                values[id(value)] = key.value
    parents = _parents(function)
    uses: dict[str, set[str]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            if id(node) in values:
                uses.setdefault(node.id, set()).add(values[id(node)])
            elif not _isinstance_subject(node, parents):
                uses.setdefault(node.id, set()).add("")
    forwards = {
        name: next(iter(keys)) for name, keys in uses.items() if len(keys) == 1 and "" not in keys
    }
    return tuple(dict.fromkeys(templates)), forwards


def _isinstance_subject(node: ast.Name, parents: dict[int, ast.AST]) -> bool:
    parent = parents.get(id(node))
    return (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Name)
        and parent.func.id == "isinstance"
        and parent.args[:1] == [node]
    )
