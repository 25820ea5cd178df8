"""Readable locations of a difference, and the patterns that ignore rules and noise match them with.

A path is a root (`$` for the body, `status`, `headers`, `rows`) followed by segments: object keys
(`.price`), array indices (`[3]`) and row keys (`[id=3]`). Patterns use the same syntax plus
wildcards: `[*]` any index or row, `.*` any key, `..name` the key at any depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class RowKey(str):
    """The primary key of a database row inside a `rows` path, shown as `[id=3]`."""


Segment = str | int | RowKey


@dataclass(frozen=True, slots=True)
class Path:
    root: str
    segments: tuple[Segment, ...] = ()

    def child(self, segment: Segment) -> Path:
        return Path(self.root, (*self.segments, segment))

    def generalised(self) -> Path:
        """The same path with every array index and row key replaced by a wildcard."""
        return Path(
            self.root,
            tuple("*" if isinstance(s, int | RowKey) else s for s in self.segments),
        )

    def startswith(self, other: Path) -> bool:
        n = len(other.segments)
        return self.root == other.root and self.segments[:n] == other.segments

    def __str__(self) -> str:
        parts = [self.root]
        for segment in self.segments:
            if isinstance(segment, (RowKey, int)):
                parts.append(f"[{segment}]")
            elif segment == "*" or _IDENTIFIER.match(segment):
                parts.append(f".{segment}")
            else:
                parts.append("[" + _quote(segment) + "]")
        return "".join(parts)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TOKEN = re.compile(
    r"""
    (?P<descend>\.\.(?P<dname>[A-Za-z_][A-Za-z0-9_-]*|\*))
  | \.(?P<name>[A-Za-z_][A-Za-z0-9_-]*|\*)
  | \[(?P<index>-?\d+)\]
  | \[(?P<star>\*)\]
  | \[(?P<rowkey>[^\]"=]+=[^\]]*)\]
  | \["(?P<quoted>(?:[^"\\]|\\.)*)"\]
    """,
    re.VERBOSE,
)

_ANY = object()
_DESCEND = object()


class PatternError(ValueError):
    """An ignore rule that is not a valid path pattern."""


@dataclass(frozen=True)
class PathPattern:
    """A parsed pattern such as `$.items[*].price`, `$..created_at` or `headers.etag`."""

    text: str
    root: str
    tokens: tuple[object, ...]

    @classmethod
    def parse(cls, text: str) -> PathPattern:
        match = re.match(r"^(\$|[A-Za-z_][A-Za-z0-9_]*)", text)
        if not match:
            raise PatternError(f"{text!r}: a path starts with $ (body), headers, rows or status")
        root = match.group(1)
        tokens: list[object] = []
        pos = match.end()
        while pos < len(text):
            token = _TOKEN.match(text, pos)
            if not token:
                raise PatternError(f"{text!r}: cannot read the pattern from {text[pos:]!r}")
            if token.group("descend"):
                tokens.append(_DESCEND)
                name = token.group("dname")
                tokens.append(_ANY if name == "*" else name)
            elif token.group("name") is not None:
                name = token.group("name")
                tokens.append(_ANY if name == "*" else name)
            elif token.group("index") is not None:
                tokens.append(int(token.group("index")))
            elif token.group("star"):
                tokens.append(_ANY)
            elif token.group("rowkey") is not None:
                tokens.append(RowKey(token.group("rowkey")))
            else:
                tokens.append(re.sub(r"\\(.)", r"\1", token.group("quoted")))
            pos = token.end()
        return cls(text, root, tuple(tokens))

    def matches(self, path: Path) -> bool:
        """True when the pattern names `path` or one of its ancestors (`$.a` covers `$.a.b`)."""
        if path.root.lower() != self.root.lower():
            return False
        return _match(self.tokens, path.segments, case_insensitive=path.root == "headers")

    def __str__(self) -> str:
        return self.text


def _match(
    tokens: tuple[object, ...], segments: tuple[Segment, ...], *, case_insensitive: bool
) -> bool:
    if not tokens:
        return True
    head, rest = tokens[0], tokens[1:]
    if head is _DESCEND:
        return any(
            _match(rest, segments[i:], case_insensitive=case_insensitive)
            for i in range(len(segments))
        )
    if not segments:
        return False
    segment = segments[0]
    if head is _ANY:
        ok = True
    elif isinstance(head, RowKey) or isinstance(segment, RowKey):
        ok = isinstance(head, RowKey) and isinstance(segment, RowKey) and head == segment
    elif isinstance(head, int) or isinstance(segment, int):
        ok = type(head) is type(segment) and head == segment
    elif case_insensitive:
        ok = str(head).lower() == str(segment).lower()
    else:
        ok = head == segment
    return ok and _match(rest, segments[1:], case_insensitive=case_insensitive)
