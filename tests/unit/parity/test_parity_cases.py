from __future__ import annotations

from pathlib import Path

import pytest

from proxy.parity.cases import (
    CaseFileError,
    ParityRequest,
    cases_for_routes,
    load_case_file,
    request_from_record,
)
from proxy.parity.config import Route


def test_json_record_becomes_a_request() -> None:
    request = request_from_record({"method": "post", "path": "/api/x", "json": {"a": 1}})
    assert request.method == "POST"
    assert request.body == b'{"a": 1}'
    assert ("Content-Type", "application/json") in request.headers


def test_form_and_query_records() -> None:
    request = request_from_record(
        {"path": "/login?next=/", "query": {"lang": "en"}, "form": {"u": "a b"}}
    )
    assert request.target == "/login?next=/&lang=en"
    assert request.body == b"u=a+b"


def test_case_file_errors_name_file_and_line(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"path": "/a"}\n# a comment\n\n{"path": "no-slash"}\n')
    with pytest.raises(CaseFileError, match=r"cases\.jsonl:4"):
        load_case_file(cases, "hand-written")


def test_requests_for_routes_not_migrated_are_dropped(tmp_path: Path) -> None:
    cases = tmp_path / "recorded.jsonl"
    cases.write_text(
        '{"path": "/api/a/1"}\n{"path": "/api/a/x"}\n{"method": "DELETE", "path": "/api/a/1"}\n'
    )
    route = Route(path="/api/a/{id:int}", methods=["GET"], mode="new")
    found = list(cases_for_routes(load_case_file(cases, "recorded"), [route], "recorded"))
    assert [c.request.target for c in found] == ["/api/a/1"]
    assert found[0].note == "recorded.jsonl:1"


def test_identity_adds_headers_and_cookies() -> None:
    request = ParityRequest("GET", "/a", (("Cookie", "old=1"),))
    signed = request.with_identity({"Authorization": "Bearer t"}, {"sid": "s"})
    assert dict(signed.headers) == {"Authorization": "Bearer t", "Cookie": "sid=s"}


def test_curl_reproduces_the_request() -> None:
    request = ParityRequest(
        "POST", "/api/x?q=1", (("Content-Type", "application/json"),), b'{"a": "it\'s"}'
    )
    assert request.curl("http://127.0.0.1:8000") == (
        "curl -i -X POST -H 'Content-Type: application/json' "
        "--data-binary '{\"a\": \"it'\"'\"'s\"}' 'http://127.0.0.1:8000/api/x?q=1'"
    )
