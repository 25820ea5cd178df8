"""The template tags of SRC that cannot read a template's context: read with `ast` from its
`templatetags` modules. A `simple_tag` or an `inclusion_tag` registered without
`takes_context=True` gets only its arguments (an inclusion tag renders its own template from
what it returns), so, given literal arguments only, it cannot see the objects a view put in
the context:

    @register.simple_tag
    def vite_asset(filename): ...          {% vite_asset 'styles/explorer.scss' %}

Any other registration (`@register.tag`, `takes_context=True`), or the same name registered
twice in different ways, keeps the tag out.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ARGUMENT_TAGS = frozenset({"simple_tag", "inclusion_tag"})


def context_free_tags(root: Path) -> frozenset[str]:
    """The names of SRC's tags that see only their arguments (cached per SRC folder)."""
    return _context_free_tags(str(root))


@cache
def _context_free_tags(root: str) -> frozenset[str]:
    free: set[str] = set()
    other: set[str] = set()
    for module in sorted(Path(root).rglob("templatetags/*.py")):
        try:
            tree = ast.parse(module.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SyntaxError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    kind = _registration(decorator)
                    if kind is None:
                        continue
                    name, sees_arguments_only = kind
                    (free if sees_arguments_only else other).add(name or node.name)
    return frozenset(free - other)


def _registration(decorator: ast.expr) -> tuple[str | None, bool] | None:
    """(the tag's name if given, whether it sees only its arguments) of a `@register.<kind>`
    decorator; None: not a tag registration."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call is not None else decorator
    if not isinstance(target, ast.Attribute) or target.attr not in ARGUMENT_TAGS | {"tag"}:
        return None
    name: str | None = None
    takes_context = False
    if call is not None:
        for keyword in call.keywords:
            value = keyword.value
            if keyword.arg == "name" and isinstance(value, ast.Constant):
                name = str(value.value)
            elif keyword.arg == "takes_context":
                takes_context = not (isinstance(value, ast.Constant) and value.value is False)
        if target.attr == "tag" and call.args and isinstance(call.args[0], ast.Constant):
            name = str(call.args[0].value)
    return name, target.attr in ARGUMENT_TAGS and not takes_context
