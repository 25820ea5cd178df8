"""Django URL patterns -> FastAPI paths with typed parameters.

`path()` converters become Starlette convertors in the path, so a mismatch answers 404 as in
Django, not FastAPI's 422: int -> `{x:int}` (`[0-9]+`, both), str -> `{x}` (`[^/]+`, both),
slug -> `{x:django_slug}`, uuid -> `{x:django_uuid}` (lower-case hex, as Django's), path ->
`{x:django_path}` (`.+`); a converter the project registers (`register_converter(Cls,
"name")`) -> `{x:django_registered_name}`, Django's registered class's regex, `to_python` and
`to_url` (its value `Any`: what `to_python` returns). A `re_path` regex becomes a path when it
is literal text and named groups anchored at both ends; each group's regex becomes a registered
convertor (`regex_convertor`), its value a `str` as Django passes it. An optional trailing slash
(`login/?$`, dj-rest-auth's) is a convertor too (`{optional_slash:re_...}`, `/?`): Django
passes no argument for it, nor does the route. So is an optional group holding one named group
(`(?:(?P<option>m)/)?`, postman's): its value is "" when absent, which `class_view`
leaves out of the view's arguments, as Django does (a function view's stays `manual`). Anything
else has no equivalent and the pattern is `manual`, with the regex quoted.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from codemods.django.analysis import RoutePart

# Django converter -> (Starlette convertor, or None for the default; the parameter's type).
CONVERTERS: dict[str, tuple[str | None, str]] = {
    "int": ("int", "int"),
    "str": (None, "str"),
    "slug": ("django_slug", "str"),
    "uuid": ("django_uuid", "UUID"),
    "path": ("django_path", "str"),
}
DJANGO_CONVERTORS = frozenset(c for c, _ in CONVERTERS.values() if c and c.startswith("django_"))
PATH_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>[A-Za-z_]\w*)>(?P<regex>[^()]*)\)")
LITERAL = re.compile(r"(?:[A-Za-z0-9/_~-]|\\[./_~-])+")
# `(?:before(?P<name>regex)after)?`: an optional group holding one named group (postman's
# `^inbox/(?:(?P<option>m)/)?$`)
OPTIONAL_GROUP = re.compile(
    rf"\(\?:(?:{LITERAL.pattern})?"
    r"\(\?P<(?P<name>[A-Za-z_]\w*)>(?P<regex>[^()]*)\)"
    rf"(?:{LITERAL.pattern})?\)\?"
)
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
OPTIONAL_SLASH = "/?"
OPTIONAL_SLASH_PARAMETER = "optional_slash"  # matched by the route, passed to no view


@dataclass
class FastAPIPath:
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)  # name -> Python type
    regex_convertors: dict[str, str] = field(default_factory=dict)  # name -> regex
    # name -> an optional group's regex (`(?:(?P<option>m)/)?`): its parameter is None when
    # the group is absent (Django then passes the view no argument)
    optional_convertors: dict[str, str] = field(default_factory=dict)
    # the project's own converters (`register_converter(..., "name")`), by Django's name
    registered_convertors: list[str] = field(default_factory=list)
    problem: str | None = None  # why there is no equivalent path (None: there is)

    @property
    def uses_django_convertors(self) -> bool:
        return any(f":{name}}}" in self.path for name in DJANGO_CONVERTORS)


def registered_convertor_name(converter: str) -> str:
    return f"django_registered_{converter}"


def regex_convertor_name(regex: str) -> str:
    return f"re_{zlib.crc32(regex.encode()):08x}"


def convert(parts: tuple[RoutePart, ...]) -> FastAPIPath:
    """The FastAPI path of a pattern's route parts (include prefixes first)."""
    result = FastAPIPath()
    pieces: list[str] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        piece = _regex(part.text, last, result) if part.regex else _path(part.text, result)
        if piece is None:
            return result
        pieces.append(piece)
    result.path = "/" + "".join(pieces)
    return result


def prefix_path(part: RoutePart) -> FastAPIPath:
    """The FastAPI path of an `include()`'s own route: a prefix, so a regex needs no closing
    `$` (Django matches the rest of the path against the included patterns)."""
    result = FastAPIPath()
    piece = _regex(part.text, False, result) if part.regex else _path(part.text, result)
    if piece is not None:
        result.path = "/" + piece
    return result


def _path(route: str, result: FastAPIPath) -> str | None:
    if "{" in route or "}" in route:
        result.problem = f"path {route!r} has braces, which FastAPI paths reserve"
        return None
    out, position = [], 0
    for match in PATH_PARAMETER.finditer(route):
        out.append(route[position : match.start()])
        converter = match["converter"] or "str"
        name = match["parameter"]
        if converter not in CONVERTERS:
            if not IDENTIFIER.fullmatch(converter):
                result.problem = f"path converter {converter!r} is no Python name"
                return None
            # the project's own (`register_converter`): Django's registered class, at runtime
            convertor: str | None = registered_convertor_name(converter)
            python_type = "Any"
            if converter not in result.registered_convertors:
                result.registered_convertors.append(converter)
        else:
            convertor, python_type = CONVERTERS[converter]
        out.append("{" + name + (f":{convertor}" if convertor else "") + "}")
        result.params[name] = python_type
        position = match.end()
    out.append(route[position:])
    return "".join(out)


def _regex(regex: str, last: bool, result: FastAPIPath) -> str | None:
    why = f"re_path {regex!r} has no equivalent FastAPI path"
    text = regex.removeprefix("^")
    if last:
        if not text.endswith("$") or text.endswith("\\$"):
            result.problem = f"{why}: without a closing $ Django matches any longer path too"
            return None
        text = text[:-1]
    ending = ""
    if last and text.endswith(OPTIONAL_SLASH) and not text.endswith("\\" + OPTIONAL_SLASH):
        text = text.removesuffix(OPTIONAL_SLASH)
        convertor = regex_convertor_name(OPTIONAL_SLASH)
        result.regex_convertors[convertor] = OPTIONAL_SLASH
        ending = "{" + f"{OPTIONAL_SLASH_PARAMETER}:{convertor}" + "}"
    out, position = [], 0
    while position < len(text):
        optional = OPTIONAL_GROUP.match(text, position)
        if optional is not None and re.fullmatch(optional["regex"], ""):
            result.problem = f"{why}: its optional group's {optional['name']} can be empty"
            return None
        if optional is not None:  # Django passes the view no argument when it is absent
            convertor = regex_convertor_name(optional.group())
            result.optional_convertors[convertor] = optional.group()
            result.params[optional["name"]] = "str | None"
            out.append("{" + f"{optional['name']}:{convertor}" + "}")
            position = optional.end()
            continue
        group = NAMED_GROUP.match(text, position)
        if group is not None:
            name, inner = group["name"], group["regex"]
            convertor = regex_convertor_name(inner)
            result.regex_convertors[convertor] = inner
            result.params[name] = "str"
            out.append("{" + f"{name}:{convertor}" + "}")
            position = group.end()
            continue
        literal = LITERAL.match(text, position)
        if literal is None:
            result.problem = f"{why} (at {text[position:]!r})"
            return None
        out.append(re.sub(r"\\(.)", r"\1", literal.group()))
        position = literal.end()
    return "".join(out) + ending
