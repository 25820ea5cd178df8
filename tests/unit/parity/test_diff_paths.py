from __future__ import annotations

import pytest

from proxy.diff.paths import Path, PathPattern, PatternError, RowKey


def test_path_reads_like_jsonpath() -> None:
    path = Path("$", ("items", 3, "price"))
    assert str(path) == "$.items[3].price"


def test_odd_keys_are_quoted() -> None:
    assert str(Path("$", ("a b", 'q"t'))) == '$["a b"]["q\\"t"]'


def test_row_keys_show_their_primary_key() -> None:
    assert str(Path("rows", ("orders", RowKey("id=3"), "total"))) == "rows.orders[id=3].total"


def test_generalised_path_has_wildcards_for_indices_and_rows() -> None:
    path = Path("rows", ("orders", RowKey("id=3"), "lines", 2))
    assert str(path.generalised()) == "rows.orders.*.lines.*"


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("$.items[*].price", Path("$", ("items", 7, "price")), True),
        ("$.items[*].price", Path("$", ("items", 7, "name")), False),
        ("$..created_at", Path("$", ("a", 1, "created_at")), True),
        ("$..created_at", Path("$", ("created_at",)), True),
        ("$.meta", Path("$", ("meta", "token")), True),
        ("$.*.token", Path("$", ("session", "token")), True),
        ("$.items[2]", Path("$", ("items", 3)), False),
        ("headers.ETag", Path("headers", ("etag",)), True),
        ("rows.orders[*].created_at", Path("rows", ("orders", RowKey("id=9"), "created_at")), True),
        ("rows.orders[id=9]", Path("rows", ("orders", RowKey("id=9"), "total")), True),
        ("rows.orders[id=8]", Path("rows", ("orders", RowKey("id=9"), "total")), False),
        ('$["a b"]', Path("$", ("a b",)), True),
        ("$.a", Path("rows", ("a",)), False),
    ],
)
def test_pattern_matching(pattern: str, path: Path, matches: bool) -> None:
    assert PathPattern.parse(pattern).matches(path) is matches


@pytest.mark.parametrize("pattern", ["items", "$.items[", "$.a..", "$ .a", "#.a"])
def test_bad_patterns_are_rejected(pattern: str) -> None:
    if pattern == "items":  # a bare root name is a valid (if unusual) pattern
        PathPattern.parse(pattern)
        return
    with pytest.raises(PatternError):
        PathPattern.parse(pattern)
