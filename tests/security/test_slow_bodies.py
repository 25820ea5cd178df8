"""Item 2: request bodies are read before a legacy thread or queue slot is taken."""

from __future__ import annotations

import time
from pathlib import Path

from tests.security.conftest import config_text, serve
from tests.security.raw import RawConnection, exchange, request_bytes

EDGE = """
[edge]
body_timeout = {body_timeout}
body_min_rate = {body_min_rate}
body_buffer_memory = {body_buffer_memory}
max_body_bytes = {max_body_bytes}
"""


def edge(
    body_timeout: float = 1,
    body_min_rate: int = 0,
    body_buffer_memory: int = 1024,
    max_body_bytes: int = 0,
) -> str:
    return EDGE.format(
        body_timeout=body_timeout,
        body_min_rate=body_min_rate,
        body_buffer_memory=body_buffer_memory,
        max_body_bytes=max_body_bytes,
    )


def test_slow_uploads_do_not_take_legacy_threads_or_queue_slots(tmp_path: Path) -> None:
    with serve(
        tmp_path, config_text(threads=1, max_pending=0, extra=edge(body_timeout=5))
    ) as front:
        slow = [RawConnection(front.port) for _ in range(3)]
        try:
            for connection in slow:
                connection.send(request_bytes("POST", "/echo", [("Content-Length", "100")], b"ab"))
            time.sleep(0.3)

            assert exchange(front.port, "GET", "/echo").status == 200
        finally:
            for connection in slow:
                connection.close()


def test_a_stalled_body_gets_408_after_body_timeout(tmp_path: Path) -> None:
    text = config_text(extra=edge(body_timeout=0.5))
    with serve(tmp_path, text) as front, RawConnection(front.port) as connection:
        connection.send(request_bytes("POST", "/echo", [("Content-Length", "100")], b"ab"))
        response = connection.read_response()

    assert response.status == 408
    assert response.json()["error"] == "body_timeout"


def test_a_body_slower_than_the_minimum_rate_gets_408(tmp_path: Path) -> None:
    # The idle timeout is ten times the pause between bytes, so that a loaded machine stretching
    # a pause cannot turn the rate check into an idle one.
    text = config_text(extra=edge(body_timeout=2, body_min_rate=100))
    with serve(tmp_path, text) as front, RawConnection(front.port) as connection:
        connection.send(request_bytes("POST", "/echo", [("Content-Length", "1000")]))
        connection.sock.settimeout(0.25)
        started = time.monotonic()
        response = None
        while response is None and time.monotonic() - started < 30:
            try:
                connection.send(b"x")  # one byte every 0.2 s: far below 100 bytes/s
                time.sleep(0.2)
                response = connection.read_response()
            except (TimeoutError, BlockingIOError):
                continue
            except (BrokenPipeError, ConnectionResetError):
                break

    assert response is not None and response.status == 408
    assert response.json()["error"] == "body_too_slow"


def test_upload_time_does_not_count_against_legacy_timeout(tmp_path: Path) -> None:
    text = config_text(legacy_timeout=0.5, extra=edge(body_timeout=10))
    with serve(tmp_path, text) as front, RawConnection(front.port) as connection:
        piece = b"u" * 40_000  # larger than a buffered body used to be
        connection.send(request_bytes("POST", "/echo", [("Content-Length", "120000")]))
        for _ in range(3):
            connection.send(piece)
            time.sleep(0.4)
        response = connection.read_response()

    assert response.status == 200
    assert response.json()["length"] == 120_000


def test_a_large_chunked_upload_is_spooled_and_reaches_the_app_whole(tmp_path: Path) -> None:
    body = b"".join(b"%x\r\n%s\r\n" % (4096, b"u" * 4096) for _ in range(64)) + b"0\r\n\r\n"
    with serve(tmp_path, config_text(extra=edge(body_buffer_memory=1024))) as front:
        response = exchange(front.port, "POST", "/echo", [("Transfer-Encoding", "chunked")], body)

    assert response.status == 200
    assert response.json()["length"] == 64 * 4096
    assert response.json()["content_length"] == str(64 * 4096)


def test_max_body_bytes_answers_413_to_a_chunked_body_for_a_raw_wsgi_reader(
    tmp_path: Path,
) -> None:
    body = b"800\r\n" + b"u" * 2048 + b"\r\n0\r\n\r\n"
    with serve(tmp_path, config_text(extra=edge(max_body_bytes=1000))) as front:
        response = exchange(front.port, "POST", "/echo", [("Transfer-Encoding", "chunked")], body)

    assert response.status == 413
    assert response.json()["error"] == "body_too_large"


def test_max_body_bytes_answers_413_on_a_migrated_route(tmp_path: Path) -> None:
    body = b"800\r\n" + b"u" * 2048 + b"\r\n0\r\n\r\n"
    with serve(tmp_path, config_text(extra=edge(max_body_bytes=1000))) as front:
        response = exchange(
            front.port, "POST", "/api/upload", [("Transfer-Encoding", "chunked")], body
        )

    assert response.status == 413
    assert response.json()["error"] == "body_too_large"
