"""Item 5: every log line and metric names the route and the side that failed."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.security.conftest import Front, config_text, serve
from tests.security.raw import RawConnection, exchange, request_bytes

CRASH_LABELS = {"route": "/api/crash", "side": "new", "method": "GET", "status": "500"}


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    with serve(tmp_path_factory.mktemp("misreporting"), config_text(threads=2, max_pending=4)) as f:
        yield f


def test_a_migrated_crash_is_a_json_500_and_the_connection_stays_usable(front: Front) -> None:
    with RawConnection(front.port) as connection:
        connection.send(request_bytes("GET", "/api/crash", [("X-Request-ID", "crash-1")]))
        crashed = connection.read_response()
        connection.send(request_bytes("GET", "/api/ok"))
        after = connection.read_response()

    assert crashed.status == 500
    assert crashed.json() == {
        "error": "internal_error",
        "message": crashed.json()["message"],
        "request_id": "crash-1",
    }
    assert after.status == 200 and after.json() == {"side": "new"}


def test_a_migrated_crash_is_logged_and_counted_as_new_with_its_route(front: Front) -> None:
    exchange(front.port, "GET", "/api/crash", [("X-Request-ID", "crash-2")])

    line = front.request_line("crash-2")
    assert (line["side"], line["route"], line["status"]) == ("new", "/api/crash", 500)
    metrics = httpx.get(front.url + "/metrics").text
    counted = [
        line
        for line in metrics.splitlines()
        if line.startswith("strangler_requests_total{")
        and all(f'{label}="{value}"' in line for label, value in CRASH_LABELS.items())
    ]
    assert counted


def test_a_legacy_generator_raising_midway_is_logged_with_its_route_and_side(
    front: Front,
) -> None:
    with RawConnection(front.port) as connection:
        connection.send(request_bytes("GET", "/midway", [("X-Request-ID", "midway-1")]))
        with contextlib.suppress(ConnectionError):  # the response cannot be completed
            connection.read_response()

    line = front.request_line("midway-1")
    assert (line["side"], line["route"], line["status"]) == ("legacy", "<unmatched>", 500)


def test_an_aborted_download_is_logged_499_not_200(front: Front) -> None:
    with RawConnection(front.port) as connection:
        connection.send(request_bytes("GET", "/endless", [("X-Request-ID", "aborted-1")]))
        assert connection.read_head().status == 200

    line = front.request_line("aborted-1")
    assert (line["side"], line["status"]) == ("legacy", 499)


def test_a_request_abandoned_in_the_queue_never_runs_and_is_logged_499(front: Front) -> None:
    ran_before = front.stats()["ran"]
    busy = [RawConnection(front.port) for _ in range(2)]
    for connection in busy:  # both threads busy for two seconds
        connection.send(request_bytes("GET", "/slow?seconds=2"))
    assert front.wait_for(lambda: front.stats()["running"] == 2)
    with RawConnection(front.port) as queued:
        queued.send(request_bytes("GET", "/run", [("X-Request-ID", "abandoned-1")]))
        time.sleep(0.1)
    for connection in busy:
        assert connection.read_response().status == 200
        connection.close()

    line = front.request_line("abandoned-1")
    assert (line["side"], line["status"]) == ("legacy", 499)
    time.sleep(0.2)
    assert front.stats()["ran"] == ran_before


def test_legacy_tracebacks_go_to_the_structured_log_with_the_request_id(front: Front) -> None:
    response = httpx.get(front.url + "/flask-boom", headers={"X-Request-ID": "trace-1"})
    assert response.status_code == 500
    front.request_line("trace-1")

    errors = [
        line
        for line in front.log_lines()
        if line.get("request_id") == "trace-1" and line.get("event") != "request"
    ]
    assert errors and "flask legacy bug" in str(errors)
    raw_tracebacks = [
        line
        for line in front.raw_log().splitlines()
        if "flask legacy bug" in line and not line.startswith("{")
    ]
    assert raw_tracebacks == []


def test_a_raw_wsgi_exception_is_a_json_500_logged_with_its_route(front: Front) -> None:
    response = exchange(front.port, "GET", "/raise", [("X-Request-ID", "raise-1")])

    assert response.status == 500
    assert response.json()["error"] == "legacy_error"
    line = front.request_line("raise-1")
    assert (line["side"], line["status"]) == ("legacy", 500)
    assert "Traceback" not in "\n".join(
        line for line in front.raw_log().splitlines() if not line.startswith("{")
    )


def test_a_legacy_header_value_with_crlf_gets_a_502_json_error(front: Front) -> None:
    response = exchange(front.port, "GET", "/crlf", [("X-Request-ID", "crlf-1")])

    assert response.status == 502
    assert response.json()["error"] == "legacy_bad_response"
    assert "injected" not in response.headers
    assert front.request_line("crlf-1")["status"] == 502


def test_write_during_iteration_is_not_dropped(front: Front) -> None:
    response = exchange(front.port, "GET", "/write-then-iterate")

    assert response.body == b"written yielded written-during-iteration end"


def test_write_data_is_sent_as_it_comes(front: Front, tmp_path: Path) -> None:
    marker = tmp_path / "seen-first"
    with RawConnection(front.port, timeout=3) as connection:
        connection.send(request_bytes("GET", f"/write-wait?marker={marker}"))
        head = connection.read_head()
        first = connection.read_until(b"first;")  # before the app goes on
        marker.touch()
        rest = connection.read_until(b"0\r\n\r\n")

    assert head.status == 200
    assert b"first;" in first and b"second;" in rest


def test_serve_drains_for_at_least_legacy_timeout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from proxy.cli import app as cli

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    config = tmp_path / "strangler.toml"
    config.write_text(config_text(legacy_timeout=45))

    result = CliRunner().invoke(cli, ["serve", "--config", str(config)])

    assert result.exit_code == 0, result.output
    assert isinstance(seen["timeout_graceful_shutdown"], int | float)
    assert seen["timeout_graceful_shutdown"] >= 45
