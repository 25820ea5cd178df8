"""Recorded traffic: what is redacted, what keeps its shape, what is not recorded at all, and the
case file as parity reads it back."""

from __future__ import annotations

import json
from pathlib import Path

from proxy.parity.cases import ParityRequest, load_case_file
from proxy.shadow_record import REDACTED, CaseRecorder, Redactor


def record(request: ParityRequest, redactor: Redactor | None = None) -> dict[str, object]:
    found = (redactor or Redactor()).record(request)
    assert found is not None
    return found


def test_credential_headers_are_dropped_and_named() -> None:
    headers = (
        ("Cookie", "session=abc"), ("Authorization", "Bearer t"), ("X-Api-Key", "k"),
        ("X-CSRFToken", "c"), ("Accept", "application/json"), ("Host", "shop.example"),
        ("X-Request-ID", "r1"), ("X-Forwarded-For", "10.0.0.1"),
    )  # fmt: skip
    found = record(ParityRequest("GET", "/api/items", headers))
    assert found["headers"] == {"Accept": "application/json"}
    assert found["redacted"] == [
        "header cookie", "header authorization", "header x-api-key", "header x-csrftoken",
    ]  # fmt: skip


def test_secret_query_parameters_keep_their_place() -> None:
    found = record(ParityRequest("GET", "/api/items?page=2&access_token=t&q=pen"))
    assert found["path"] == "/api/items?page=2&access_token=%3Credacted%3E&q=pen"


def test_secret_json_keys_are_redacted_at_any_depth_and_others_kept() -> None:
    body = {"user": {"name": "ann", "password": "pw", "cards": [{"card_number": "4111"}]},
            "author": "ann", "qty": 2}  # fmt: skip
    request = ParityRequest(
        "POST", "/api/x", (("Content-Type", "application/json"),), json.dumps(body).encode()
    )
    found = record(request)
    assert found["json"] == {
        "user": {"name": "ann", "password": REDACTED, "cards": [{"card_number": REDACTED}]},
        "author": "ann", "qty": 2,
    }  # fmt: skip
    assert "headers" in found and found["headers"] == {}  # `json` sets the type again


def test_form_fields_are_redacted_and_repeated_fields_kept() -> None:
    request = ParityRequest(
        "POST", "/login", (("Content-Type", "application/x-www-form-urlencoded"),),
        b"user=ann&password=pw&tag=a&tag=b&csrf_token=x",
    )  # fmt: skip
    assert record(request)["form"] == {
        "user": "ann", "password": REDACTED, "tag": ["a", "b"], "csrf_token": REDACTED,
    }  # fmt: skip


def test_configured_names_are_redacted_too() -> None:
    request = ParityRequest("GET", "/api/users?email=a@b.c&page=1")
    assert record(request, Redactor(["email"]))["path"] == (
        "/api/users?email=%3Credacted%3E&page=1"
    )


def test_multipart_and_binary_bodies_are_not_recorded() -> None:
    multipart = ParityRequest(
        "POST", "/upload", (("Content-Type", "multipart/form-data; boundary=x"),), b"--x\r\n"
    )
    binary = ParityRequest("POST", "/upload", (("Content-Type", "image/png"),), b"\x89PNG\xff")
    assert Redactor().record(multipart) is None
    assert Redactor().record(binary) is None


def test_the_case_file_reads_back_as_the_requests_without_their_secrets(tmp_path: Path) -> None:
    path = tmp_path / "recorded.jsonl"
    recorder = CaseRecorder(path, max_bytes=100_000, redactor=Redactor())
    request = ParityRequest(
        "POST", "/api/quote?x=1", (("Content-Type", "application/json"), ("Cookie", "s=1")),
        b'{"lines": [1, 2]}',
    )  # fmt: skip
    assert recorder.write(request, "POST /api/quote")
    recorder.close()
    ((replayed, note),) = load_case_file(path, "recorded")
    assert (replayed.method, replayed.target, replayed.body) == (
        "POST", "/api/quote?x=1", b'{"lines": [1, 2]}',
    )  # fmt: skip
    assert dict(replayed.headers) == {"Content-Type": "application/json"}
    assert note == "recorded.jsonl:1"
    line = json.loads(path.read_text())
    assert line["route"] == "POST /api/quote" and line["recorded_at"].endswith("Z")


def test_recording_stops_when_the_file_is_full(tmp_path: Path) -> None:
    recorder = CaseRecorder(tmp_path / "r.jsonl", max_bytes=1024, redactor=Redactor())
    written = [recorder.write(ParityRequest("GET", f"/api/items?n={n}"), "GET /api/items")
               for n in range(100)]  # fmt: skip
    recorder.close()
    assert recorder.full and written.count(True) == recorder.recorded < 100
    assert (tmp_path / "r.jsonl").stat().st_size <= 1024


def test_skipped_bodies_are_counted(tmp_path: Path) -> None:
    recorder = CaseRecorder(tmp_path / "r.jsonl", max_bytes=10_000, redactor=Redactor())
    binary = ParityRequest("POST", "/upload", (("Content-Type", "image/png"),), b"\xff\xfe")
    assert recorder.write(binary, "POST /upload") is False
    assert recorder.skipped == 1
