"""Item 3: limits on request headers (size of a line, number of fields, total size, answered 431)
and on how long a client may take to send them or may sit idle between requests."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.security.edge_support import connect, front_with, get, read_answer, send_raw
from tests.support.servers import free_port, running_server, venv_command

CONFIG = """
[legacy]
app = "tests.security.edge_apps:legacy_echo"

[edge]
max_header_line = 1024
max_header_count = 20
max_header_bytes = 4096
header_timeout = 0.5
keepalive_timeout = 0.5
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with front_with(tmp_path_factory.mktemp("limits"), CONFIG) as url:
        yield url


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """True when the server closes `sock` (with or without a 408) within `seconds`."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def test_a_header_line_over_max_header_line_gets_431(front: str) -> None:
    answer = send_raw(front, get("/echo", "X-Big: " + "a" * 1100))

    assert answer.status == 431
    assert answer.headers["connection"] == "close"


def test_more_fields_than_max_header_count_gets_431(front: str) -> None:
    fields = [f"X-Field-{index}: {index}" for index in range(25)]

    assert send_raw(front, get("/echo", *fields)).status == 431


def test_headers_over_max_header_bytes_in_total_get_431(front: str) -> None:
    fields = [f"X-Field-{index}: {'v' * 500}" for index in range(10)]

    assert send_raw(front, get("/echo", *fields)).status == 431


def test_headers_within_every_limit_are_served(front: str) -> None:
    fields = [f"X-Field-{index}: {'v' * 100}" for index in range(15)]

    assert send_raw(front, get("/echo", *fields)).status == 200


def test_an_endless_header_line_is_cut_off_before_it_ends(front: str) -> None:
    with connect(front, timeout=5) as sock:
        sock.sendall(b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: ")
        sent = 0
        try:
            while sent < 4_000_000:
                sock.sendall(b"a" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed first, as it should
        try:
            answer = read_answer(sock)
        except ConnectionResetError:
            answer = None
    assert sent < 4_000_000 or (answer is not None and answer.status == 431)


def test_a_request_line_longer_than_max_header_line_gets_414(front: str) -> None:
    assert send_raw(front, get("/" + "a" * 1100)).status == 414


def test_a_client_that_never_finishes_its_headers_is_disconnected(front: str) -> None:
    with connect(front) as sock:
        sock.sendall(b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n")

        assert closed_within(sock, 5)


def test_a_trickling_client_is_disconnected_after_header_timeout(front: str) -> None:
    with connect(front) as sock:
        sock.sendall(b"GET /echo HTTP/1.1\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 5:
            try:
                sock.sendall(b"X-a: b\r\n")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.1)

    assert closed


def test_a_connection_that_sends_nothing_is_disconnected(front: str) -> None:
    with connect(front) as sock:
        assert closed_within(sock, 5)


def test_an_idle_keep_alive_connection_is_closed(front: str) -> None:
    with connect(front) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_answer(sock).status == 200

        assert closed_within(sock, 5)


def test_slowloris_connections_do_not_keep_a_normal_client_out(front: str) -> None:
    hostile: list[socket.socket] = []
    try:
        for _ in range(300):
            sock = connect(front)
            sock.sendall(b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            hostile.append(sock)
        with httpx.Client(base_url=front, timeout=5) as client:
            statuses = [client.get("/echo").status_code for _ in range(30)]
        time.sleep(1.5)  # past header_timeout: the server has let every hostile connection go
        still_open = 0
        for sock in hostile:
            sock.settimeout(0.01)
            try:
                sock.recv(1)  # b"" or the first byte of a 408: the server is done with it
            except TimeoutError:
                still_open += 1
            except OSError:
                pass
    finally:
        for sock in hostile:
            sock.close()

    assert statuses == [200] * 30
    assert still_open == 0


def test_gunicorn_with_the_strangler_worker_enforces_the_same_limits(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    config = tmp_path_factory.mktemp("gunicorn") / "strangler.toml"
    config.write_text(CONFIG)
    port = free_port()
    argv = [
        venv_command("gunicorn"),
        "--worker-class",
        "proxy.gunicorn_worker.StranglerUvicornWorker",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "proxy.app:app_from_environment()",
    ]
    with running_server(
        argv, port, env={"STRANGLER_CONFIG": str(config)}, ready_path="/healthz"
    ) as url:
        too_long = send_raw(url, get("/echo", "X-Big: " + "a" * 1100))
        with connect(url) as sock:
            sock.sendall(b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let_go = closed_within(sock, 5)

    assert too_long.status == 431
    assert let_go
