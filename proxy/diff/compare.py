"""compare(): the differences between the legacy and the new answer to the same request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from proxy.diff.headers import relevant_headers
from proxy.diff.html import normalise_html
from proxy.diff.model import MISSING, Comparison, Difference, Exchange, Response, Where
from proxy.diff.noise import NoiseSet
from proxy.diff.paths import Path
from proxy.diff.rules import IgnoreRules
from proxy.diff.structural import structural_diff

_NO_RULES = IgnoreRules()


def compare(
    legacy: Exchange,
    new: Exchange,
    *,
    rules: IgnoreRules = _NO_RULES,
    noise: NoiseSet | None = None,
    origins: tuple[str, ...] = (),
) -> Comparison:
    """Every difference between the two exchanges, each marked as ignored (by `rules`), noise (at a
    location where `noise` says legacy disagrees with itself) or real."""
    differences = []
    for where, path, left, right in raw_differences(legacy, new, origins=origins):
        differences.append(
            Difference(
                where=where,
                path=path,
                legacy=left,
                new=right,
                ignored=rules.ignores(path),
                noise=noise is not None and noise.covers(path),
                note=_note(where, left, right),
            )
        )
    return Comparison(tuple(differences))


def measure_noise(first: Exchange, second: Exchange, *, origins: tuple[str, ...] = ()) -> NoiseSet:
    """The locations where two legacy answers to the same request (from the same state) differ."""
    noise = NoiseSet()
    noise.add(path for _, path, _, _ in raw_differences(first, second, origins=origins))
    return noise


def raw_differences(
    legacy: Exchange, new: Exchange, *, origins: tuple[str, ...] = ()
) -> Iterator[tuple[Where, Path, Any, Any]]:
    if legacy.response.status != new.response.status:
        yield "status", Path("status"), legacy.response.status, new.response.status
    for path, left, right in structural_diff(
        relevant_headers(legacy.response, origins),
        relevant_headers(new.response, origins),
        Path("headers"),
    ):
        yield "header", path, left, right
    for path, left, right in _body_differences(legacy.response, new.response):
        yield "body", path, left, right
    if legacy.rows is not None and new.rows is not None:
        left_rows, right_rows = legacy.rows.as_document(), new.rows.as_document()
        for table in left_rows.keys() ^ right_rows.keys():
            left_rows.setdefault(table, {})
            right_rows.setdefault(table, {})
        for path, left, right in structural_diff(left_rows, right_rows, Path("rows")):
            yield "rows", path, left, right


def _body_differences(legacy: Response, new: Response) -> Iterator[tuple[Path, Any, Any]]:
    if legacy.body == new.body:
        return
    left, right = _decode(legacy), _decode(new)
    if left[0] == "json" and right[0] == "json":
        yield from structural_diff(left[1], right[1], Path("$"))
    elif left[0] == right[0]:
        yield from structural_diff(left[1], right[1], Path("body"))
    else:
        yield Path("body"), _text(legacy.body), _text(new.body)


def _decode(response: Response) -> tuple[str, Any]:
    media = response.media_type
    if media == "application/json" or media.endswith("+json") or not media:
        try:
            return "json", json.loads(response.body) if response.body.strip() else MISSING
        except ValueError:
            pass
    text = _text(response.body)
    if media in ("text/html", "application/xhtml+xml"):
        return "lines", normalise_html(text)
    return "lines", text.splitlines()


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _note(where: Where, left: Any, right: Any) -> str:
    if left is MISSING:
        return "only on new" if where != "rows" else "changed by new only"
    if right is MISSING:
        return "missing on new" if where != "rows" else "changed by legacy only"
    if where in ("body", "rows") and type(left) is not type(right):
        return f"{_type_name(left)} vs {_type_name(right)}"
    return ""


def _type_name(value: Any) -> str:
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
        type(None): "null",
    }.get(type(value), type(value).__name__)
