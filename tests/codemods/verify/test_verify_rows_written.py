"""The rows a call wrote (engine/verify/rows.py): a random UUID the call made is masked, as a
time stamp is; one the database held before is compared as written."""

from __future__ import annotations

from codemods.engine.verify.rows import NEW_UUID, difference, written

BEFORE = {"values": [[1, "site", "example"]]}
KNOWN = "0b6f0a9e-6a7f-4a43-9d5e-52f1c7f43f0a"


def test_a_new_random_uuid_is_masked_so_both_sides_write_the_same_row() -> None:
    legacy = written(
        BEFORE, {"values": [*BEFORE["values"], [2, "39ef3e99-ddbb-4e53-a902-0f841dde6373", "UUID"]]}
    )
    new = written(
        BEFORE, {"values": [*BEFORE["values"], [2, "b6dc3041ba154e53a902ffffffffffff", "UUID"]]}
    )
    assert legacy == new == {"values": {"added": [[2, NEW_UUID, "UUID"]], "removed": []}}
    assert difference(legacy, new) is None


def test_a_uuid_the_database_held_before_is_compared_as_written() -> None:
    before = {"values": [[1, KNOWN, "site"]], "copies": []}
    copied = written(before, {**before, "copies": [[1, KNOWN]]})
    assert copied["copies"]["added"] == [[1, KNOWN]]


def test_text_that_is_not_a_version_4_uuid_is_compared_as_written() -> None:
    version_1 = "6fa459ea-ee8a-1ca4-894e-db77e160355e"
    changed = written(BEFORE, {"values": [*BEFORE["values"], [2, version_1, "UUID"]]})
    assert changed["values"]["added"] == [[2, version_1, "UUID"]]
