"""The request log line and the Prometheus metrics the front records once per request, and the
server factory's garbage-collector setting."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import structlog

from proxy.app import app_from_environment
from proxy.metrics import Metrics
from proxy.observability import BatchedLineWriter, configure_logging
from tests.unit.proxy.conftest import BASE_CONFIG

REQUEST: dict[str, Any] = dict(
    request_id="r1", method="GET", path="/a", route="/a", side="new", status=200, duration_ms=1.5
)


def test_a_request_line_is_one_json_object_with_the_request_fields_level_and_timestamp() -> None:
    out = io.StringIO()

    configure_logging(out).request(**REQUEST)

    line = json.loads(out.getvalue())
    assert line == {**REQUEST, "event": "request", "level": "info", "timestamp": line["timestamp"]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", line["timestamp"])


@pytest.mark.parametrize(
    "path",
    ['/a"b\\c', "/caf\u00e9/\u2603", "/tab\there\x00\x1f", "/%2F/;x", "/\ud800"],
)
def test_a_request_line_is_exactly_what_json_writes_for_any_path_and_route(path: str) -> None:
    out = io.StringIO()

    configure_logging(out).request(**{**REQUEST, "path": path, "route": path + "\u00ff"})

    written = out.getvalue()
    assert written == json.dumps(json.loads(written)) + "\n"
    assert json.loads(written)["path"] == path


def test_lines_logged_in_one_event_loop_iteration_are_written_together_when_it_ends() -> None:
    out = io.StringIO()
    writer = BatchedLineWriter(out)

    async def two_requests() -> tuple[str, str]:
        writer.msg('{"n": 1}')
        writer.msg('{"n": 2}')
        before = out.getvalue()
        await asyncio.sleep(0)
        return before, out.getvalue()

    before, after = asyncio.run(two_requests())

    assert before == ""
    assert after == '{"n": 1}\n{"n": 2}\n'


def test_a_line_logged_outside_an_event_loop_is_written_at_once() -> None:
    out = io.StringIO()

    BatchedLineWriter(out).msg('{"n": 1}')

    assert out.getvalue() == '{"n": 1}\n'


def test_the_default_writer_writes_to_the_stdout_of_the_moment_not_one_since_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", first)
    writer = BatchedLineWriter()
    first.close()  # as a test runner closes the stdout it had captured into
    monkeypatch.setattr(sys, "stdout", second)

    writer.msg('{"n": 1}')

    assert second.getvalue() == '{"n": 1}\n'


def test_lines_left_by_an_event_loop_that_stopped_are_written_with_the_next_line() -> None:
    out = io.StringIO()
    writer = BatchedLineWriter(out)
    loop = asyncio.new_event_loop()

    def log_then_stop() -> None:
        writer.msg('{"n": 1}')
        loop.stop()  # the flush it scheduled never runs

    loop.call_soon(log_then_stop)
    loop.run_forever()
    loop.close()

    async def log_again() -> None:
        writer.msg('{"n": 2}')

    asyncio.run(log_again())

    assert out.getvalue() == '{"n": 1}\n{"n": 2}\n'


def test_requests_are_counted_per_route_side_method_and_status() -> None:
    metrics = Metrics()
    metrics.observe("/a", "new", "GET", 200, 0.01)
    metrics.observe("/a", "new", "GET", 200, 0.02)
    metrics.observe("/a", "legacy", "POST", 500, 0.01)

    text = metrics.exposition()[0].decode()

    assert 'strangler_requests_total{method="GET",route="/a",side="new",status="200"} 2.0' in text
    assert (
        'strangler_requests_total{method="POST",route="/a",side="legacy",status="500"} 1.0' in text
    )


def test_a_duration_is_counted_in_every_bucket_whose_bound_it_does_not_exceed() -> None:
    metrics = Metrics()
    metrics.observe("/a", "new", "GET", 200, 0.005)
    metrics.observe("/a", "new", "GET", 200, 60.0)

    text = metrics.exposition()[0].decode()

    def bucket(le: str) -> str:
        return f'strangler_request_duration_seconds_bucket{{le="{le}",route="/a",side="new"}}'

    assert f"{bucket('0.0025')} 0.0" in text
    assert f"{bucket('0.005')} 1.0" in text  # le: a value on the bound is in that bucket
    assert f"{bucket('30.0')} 1.0" in text
    assert f"{bucket('+Inf')} 2.0" in text
    assert 'strangler_request_duration_seconds_count{route="/a",side="new"} 2.0' in text
    assert 'strangler_request_duration_seconds_sum{route="/a",side="new"} 60.005' in text


def test_structlog_events_are_written_as_json_lines_too() -> None:
    out = io.StringIO()
    configure_logging(out)

    structlog.get_logger("other").warning("disk_full", free=0)

    line = json.loads(out.getvalue())
    assert line["event"] == "disk_full" and line["free"] == 0 and line["level"] == "warning"


def test_the_server_factory_takes_the_loaded_apps_out_of_the_garbage_collectors_scans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(BASE_CONFIG)
    monkeypatch.setenv("STRANGLER_CONFIG", str(config))
    try:
        app_from_environment()

        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
