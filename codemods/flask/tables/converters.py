"""Werkzeug URL converters -> Starlette path convertors (docs/mappings.md, "URL converters").

Starlette answers 404 when a path does not match a convertor's regex, like Werkzeug; a plain
`id: int` parameter on `{id}` would answer 422 instead, so the convertor goes in the path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Converter:
    werkzeug: str
    starlette: str | None  # `{x:<this>}`; None for a plain `{x}`
    python_type: str
    weight: int  # Werkzeug's weight: lower weights are tried first
    note: str | None = None


CONVERTERS: dict[str, Converter] = {
    "default": Converter("default", None, "str", 100),
    "string": Converter("string", None, "str", 100),
    "int": Converter("int", "int", "int", 50),
    "float": Converter(
        "float", "flask_float", "float", 50, "`flask_float` keeps Werkzeug's required dot"
    ),
    "path": Converter("path", "path", "str", 200),
    "uuid": Converter("uuid", "uuid", "UUID", 100),
    "any": Converter("any", "any_of", "str", 100, "registered with `any_of(...)`: 404 otherwise"),
}

RULE_PART = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?"
    r"(?P<variable>[a-zA-Z_][a-zA-Z0-9_]*)>"
)


@dataclass
class PathParam:
    name: str
    python_type: str
    any_values: tuple[str, ...] = ()


@dataclass
class ConvertedPath:
    path: str
    params: list[PathParam] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    manual: bool = False
    sort_key: tuple[tuple[int, int], ...] = ()


def _any_values(args: str) -> tuple[str, ...]:
    return tuple(v.strip().strip("'\"") for v in args.split(",") if v.strip())


def convert_rule(rule: str, registered: frozenset[str] = frozenset()) -> ConvertedPath:
    """A Werkzeug rule string -> a Starlette path, its typed parameters and its sort key.
    `registered`: the app's own converters the module registers (`register_converter`), which
    go in the path by their name and hand the view what their `to_python` returns."""
    result = ConvertedPath(path="")
    pieces: list[str] = []
    position = 0
    for match in RULE_PART.finditer(rule):
        pieces.append(rule[position : match.start()])
        position = match.end()
        kind = match.group("converter") or "default"
        args = match.group("args")
        name = match.group("variable")
        converter = CONVERTERS.get(kind)
        if converter is None and kind in registered:
            pieces.append("{" + f"{name}:{kind}" + "}")
            result.params.append(PathParam(name, "Any"))
            continue
        if converter is None:
            result.manual = True
            result.reasons.append(f"custom URL converter <{kind}:{name}> has no Starlette twin")
            pieces.append("{" + name + "}")
            result.params.append(PathParam(name, "str"))
            continue
        if kind == "any":
            values = _any_values(args or "")
            convertor = "any_" + "_".join(re.sub(r"\W", "_", v) for v in values)
            pieces.append("{" + f"{name}:{convertor}" + "}")
            result.params.append(PathParam(name, "str", values))
            continue
        if args:
            result.reasons.append(
                f"converter arguments <{kind}({args}):{name}> are not enforced by the path"
            )
        pieces.append(
            "{" + (f"{name}:{converter.starlette}" if converter.starlette else name) + "}"
        )
        result.params.append(PathParam(name, converter.python_type))
    pieces.append(rule[position:])
    result.path = "".join(pieces)
    result.sort_key = specificity(rule)
    return result


def specificity(rule: str) -> tuple[tuple[int, int], ...]:
    """Werkzeug's order, per segment: static parts first, then converters by weight."""
    key: list[tuple[int, int]] = []
    for segment in rule.strip("/").split("/"):
        match = RULE_PART.search(segment)
        if match is None:
            key.append((0, 0))
            continue
        converter = CONVERTERS.get(match.group("converter") or "default")
        key.append((1, converter.weight if converter else 100))
    return tuple(key)
