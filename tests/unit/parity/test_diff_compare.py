from __future__ import annotations

import json
from typing import Any

from proxy.diff import Exchange, IgnoreRules, Response, RowChanges, compare, measure_noise

JSON = (("Content-Type", "application/json"),)


def exchange(body: Any, status: int = 200, headers: tuple[tuple[str, str], ...] = JSON) -> Exchange:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Exchange(Response(status, headers, raw))


def texts(legacy: Exchange, new: Exchange, **kwargs: Any) -> list[str]:
    return [str(d) for d in compare(legacy, new, **kwargs).real]


def test_identical_answers_are_equal() -> None:
    assert compare(exchange({"a": 1}), exchange({"a": 1})).equal


def test_number_against_string_names_the_path() -> None:
    legacy = exchange({"items": [{}, {}, {}, {"price": 9.5}]})
    new = exchange({"items": [{}, {}, {}, {"price": "9.50"}]})
    assert texts(legacy, new) == ['$.items[3].price: 9.5 != "9.50" (number vs string)']


def test_missing_and_renamed_keys() -> None:
    assert texts(exchange({"username": "a"}), exchange({"user_name": "a"})) == [
        '$.username: "a" != <missing> (missing on new)',
        '$.user_name: <missing> != "a" (only on new)',
    ]


def test_key_order_is_not_a_difference_but_array_order_is() -> None:
    assert compare(exchange({"a": 1, "b": 2}), exchange({"b": 2, "a": 1})).equal
    assert texts(exchange([1, 2]), exchange([2, 1])) == ["$[0]: 1 != 2", "$[1]: 2 != 1"]


def test_numbers_compare_by_value_but_booleans_are_not_numbers() -> None:
    assert compare(exchange({"n": 1}), exchange({"n": 1.0})).equal
    assert texts(exchange({"n": 1}), exchange({"n": True})) == [
        "$.n: 1 != true (number vs boolean)"
    ]


def test_extra_array_items_are_reported() -> None:
    assert texts(exchange([1]), exchange([1, 2])) == ["$[1]: <missing> != 2 (only on new)"]


def test_status_difference() -> None:
    assert texts(exchange({}, 201), exchange({}, 200)) == ["status: 201 != 200"]


def test_content_type_is_compared_normalised() -> None:
    legacy = exchange({}, headers=(("Content-Type", "application/json; charset=UTF-8"),))
    new = exchange({}, headers=(("content-type", "application/json;charset=utf-8"),))
    assert compare(legacy, new).equal
    html = exchange({}, headers=(("Content-Type", "text/html"),))
    assert (
        texts(legacy, html)[0]
        == 'headers.content-type: "application/json; charset=utf-8" != "text/html"'
    )


def test_location_on_the_own_origin_compares_as_a_path() -> None:
    legacy = exchange(b"", 302, (("Location", "http://localhost/next"),))
    new = exchange(b"", 302, (("Location", "/next"),))
    assert compare(legacy, new).equal
    other = exchange(b"", 302, (("Location", "/elsewhere"),))
    assert texts(legacy, other) == ['headers.location: "/next" != "/elsewhere"']


def test_cookie_values_are_not_compared_but_attributes_are() -> None:
    legacy = exchange({}, headers=(("Set-Cookie", "session=abc; Path=/; HttpOnly"),))
    same = exchange({}, headers=(("Set-Cookie", "session=xyz; Path=/; HttpOnly"),))
    assert compare(legacy, same).equal
    loose = exchange({}, headers=(("Set-Cookie", "session=xyz; Path=/"),))
    assert texts(legacy, loose) == ["headers.set-cookie.session.httponly: true != false"]
    renamed = exchange({}, headers=(("Set-Cookie", "sid=xyz; Path=/; HttpOnly"),))
    assert any(t.startswith("headers.set-cookie.session: ") for t in texts(legacy, renamed))


def test_cache_control_directives_compare_as_a_set() -> None:
    legacy = exchange({}, headers=(("Cache-Control", "no-cache, max-age=0"),))
    new = exchange({}, headers=(("Cache-Control", "max-age=0,no-cache"),))
    assert compare(legacy, new).equal


def test_other_headers_are_not_compared() -> None:
    legacy = exchange({}, headers=(("Server", "Werkzeug"), ("Date", "Mon")))
    new = exchange({}, headers=(("Server", "uvicorn"),))
    assert compare(legacy, new).equal


def test_html_is_compared_after_normalisation() -> None:
    html = (("Content-Type", "text/html; charset=utf-8"),)
    legacy = exchange(b"<p  class='a'   id=x>Hello\n   world</p><!-- c -->", headers=html)
    new = exchange(b'<p id="x" class="a">Hello world</p>', headers=html)
    assert compare(legacy, new).equal
    changed = exchange(b'<p id="x" class="a">Hello there</p>', headers=html)
    assert texts(legacy, changed) == ['body[1]: "  Hello world" != "  Hello there"']


def test_ignore_rules_mark_differences_ignored() -> None:
    rules = IgnoreRules(json_paths=["$..updated_at"], headers=["location"])
    legacy = exchange({"a": {"updated_at": 1}}, 302, (*JSON, ("Location", "/a")))
    new = exchange({"a": {"updated_at": 2}}, 302, (*JSON, ("Location", "/b")))
    result = compare(legacy, new, rules=rules)
    assert result.equal
    assert {str(d.path) for d in result.ignored} == {"$.a.updated_at", "headers.location"}


def test_noise_measured_on_legacy_is_not_a_real_difference() -> None:
    first, second = exchange({"at": "10:00:01", "n": 1}), exchange({"at": "10:00:02", "n": 1})
    noise = measure_noise(first, second)
    result = compare(first, exchange({"at": "11:00", "n": 2}), noise=noise)
    assert [str(d) for d in result.noise] == ['$.at: "10:00:01" != "11:00"']
    assert [str(d) for d in result.real] == ["$.n: 1 != 2"]


def test_noise_learnt_on_one_item_covers_the_others() -> None:
    noise = measure_noise(exchange([{"id": "u1"}]), exchange([{"id": "u2"}]))
    result = compare(
        exchange([{"id": "a"}, {"id": "b"}]), exchange([{"id": "c"}, {"id": "d"}]), noise=noise
    )
    assert result.equal and len(result.noise) == 2


def test_row_changes_are_compared_with_readable_paths() -> None:
    before = {
        "orders": {"id=1": {"id": 1, "total": 5}},
        "stats": {"name=n": {"name": "n", "value": 0}},
    }
    legacy_after = {"orders": {"id=1": {"id": 1, "total": 6}}, "stats": before["stats"]}
    new_after = {
        "orders": {"id=1": {"id": 1, "total": 7}},
        "stats": {"name=n": {"name": "n", "value": 1}},
    }
    legacy = Exchange(Response(200), RowChanges.between(before, legacy_after))
    new = Exchange(Response(200), RowChanges.between(before, new_after))
    assert texts(legacy, new) == [
        "rows.orders[id=1].total: 6 != 7",
        'rows.stats[name=n]: <missing> != {"name": "n", "value": 1} (changed by new only)',
    ]


def test_row_changes_are_skipped_when_a_side_was_not_measured() -> None:
    measured = Exchange(Response(200), RowChanges.between({}, {"t": {"id=1": {"id": 1}}}))
    assert compare(measured, Exchange(Response(200))).equal


def test_differences_serialise_for_reports() -> None:
    difference = compare(exchange({"a": 1}), exchange({})).real[0]
    assert difference.as_dict() == {
        "where": "body", "path": "$.a", "legacy": 1, "new": None, "legacy_missing": False,
        "new_missing": True, "noise": False, "ignored": False, "note": "missing on new",
        "text": "$.a: 1 != <missing> (missing on new)",
    }  # fmt: skip
