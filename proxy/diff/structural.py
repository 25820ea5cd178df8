"""Structural comparison of two JSON-like documents, yielding one entry per differing location.

Object key order is not a difference (Flask sorts keys, FastAPI keeps declaration order); array
order is. Numbers compare by value (`1 == 1.0`, as for any JSON reader) but a number never equals a
string or a boolean (`5 != "5"`, `1 != true`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from proxy.diff.model import MISSING
from proxy.diff.paths import Path


def structural_diff(legacy: Any, new: Any, path: Path) -> Iterator[tuple[Path, Any, Any]]:
    if isinstance(legacy, Mapping) and isinstance(new, Mapping):
        for key in _keys_in_order(legacy, new):
            yield from structural_diff(
                legacy.get(key, MISSING), new.get(key, MISSING), path.child(key)
            )
    elif isinstance(legacy, list) and isinstance(new, list):
        for index in range(max(len(legacy), len(new))):
            left = legacy[index] if index < len(legacy) else MISSING
            right = new[index] if index < len(new) else MISSING
            yield from structural_diff(left, right, path.child(index))
    elif not _same_scalar(legacy, new):
        yield path, legacy, new


def _keys_in_order(legacy: Mapping[Any, Any], new: Mapping[Any, Any]) -> list[Any]:
    keys = list(legacy)
    keys.extend(k for k in new if k not in legacy)
    return keys


def _same_scalar(legacy: Any, new: Any) -> bool:
    if legacy is MISSING or new is MISSING:
        return legacy is new
    if isinstance(legacy, bool) or isinstance(new, bool):
        return type(legacy) is type(new) and legacy == new
    if isinstance(legacy, int | float) and isinstance(new, int | float):
        return legacy == new
    return type(legacy) is type(new) and bool(legacy == new)
