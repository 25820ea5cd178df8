"""`strangler parity --cases FILE`: requests recorded by shadow mode (redacted, in the case-file
format) replayed against both sides, each call from the same database state."""

from __future__ import annotations

import json
from pathlib import Path

from proxy.parity.cases import ParityRequest
from proxy.shadow_record import CaseRecorder, Redactor
from tests.contract.conftest import run_planted
from tests.contract.test_cli import strangler_parity

JSON = (("Content-Type", "application/json"), ("Cookie", "session=s3cret"))


def recorded_file(directory: Path) -> Path:
    """What the shadow records: the requests below, redacted, one JSON object a line."""
    path = directory / "recorded.jsonl"
    recorder = CaseRecorder(path, max_bytes=1_000_000, redactor=Redactor())
    requests = [
        ParityRequest("POST", "/api/products/1/buy", JSON, b""),
        ParityRequest("POST", "/api/tags", JSON, b'{"name": "red", "csrf_token": "abc"}'),
        ParityRequest("POST", "/api/tags", JSON, b'{"name": "red", "csrf_token": "abc"}'),
        ParityRequest("GET", "/api/products/1?token=xyz", (("Cookie", "session=s3cret"),)),
        ParityRequest("GET", "/api/not-migrated"),
    ]
    for request in requests:
        assert recorder.write(request, f"{request.method} {request.path}")
    recorder.close()
    return path


def test_the_recording_holds_no_credential(tmp_path: Path) -> None:
    text = recorded_file(tmp_path).read_text()
    for secret in ("s3cret", "abc", "xyz"):
        assert secret not in text
    tags = json.loads(text.splitlines()[1])
    assert tags["json"] == {"name": "red", "csrf_token": "<redacted>"}
    assert tags["redacted"] == ["header cookie", "json $.csrf_token"]


def test_replayed_writes_start_from_the_same_state_and_agree(planted_dir: Path) -> None:
    run = run_planted(planted_dir, case_files=[recorded_file(planted_dir)])

    assert run.exit_code == 0, [o.verdict for o in run.outcomes]
    assert run.rows_compared
    # Twice the same tag, on both sides: each call starts from the same rows, so the same id.
    assert {o.case.source for o in run.outcomes} == {"recorded"}
    assert len(run.outcomes) == 4 * len(run.identities)


def test_a_replayed_write_that_differs_is_found_in_the_rows(planted_dir: Path) -> None:
    run = run_planted(planted_dir, ["extra_row"], case_files=[recorded_file(planted_dir)])

    assert run.exit_code == 1
    paths = {str(d.path) for o in run.differing for d in o.comparison.real}
    assert any(path.startswith("rows.stats") for path in paths), paths


def test_the_command_line_replays_and_says_what_it_left_out(planted_dir: Path) -> None:
    cases = recorded_file(planted_dir)

    result = strangler_parity(
        "--config", str(planted_dir / "strangler.toml"), "--cases", str(cases),
        db=planted_dir / "planted.db",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 replayed request(s) not compared" in result.stdout
    assert "POST /api/tags" in result.stdout


def test_a_case_file_that_reaches_no_migrated_route_exits_2(planted_dir: Path) -> None:
    cases = planted_dir / "elsewhere.jsonl"
    cases.write_text('{"method": "GET", "path": "/api/not-migrated"}\n')

    result = strangler_parity(
        "--config", str(planted_dir / "strangler.toml"), "--cases", str(cases),
        db=planted_dir / "planted.db",
    )  # fmt: skip

    assert result.returncode == 2
    assert "none of its 1 request(s) reaches a migrated route" in result.stderr


def test_a_missing_case_file_exits_2(planted_dir: Path) -> None:
    result = strangler_parity(
        "--config", str(planted_dir / "strangler.toml"), "--cases", str(planted_dir / "no.jsonl"),
        db=planted_dir / "planted.db",
    )  # fmt: skip

    assert result.returncode == 2
    assert "no.jsonl" in result.stderr
