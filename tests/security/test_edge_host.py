"""Item 4: requests whose target host is ambiguous or missing get 400, as nginx answers them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.security.edge_support import front_with, get, send_raw

CONFIG = """
[legacy]
app = "tests.security.edge_apps:legacy_echo"

[edge]
trusted_hosts = ["good.example", "127.0.0.1"]
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with front_with(tmp_path_factory.mktemp("host"), CONFIG) as url:
        yield url


@pytest.fixture(scope="module")
def open_front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """No `trusted_hosts`: the Host checks hold whatever the edge settings say."""
    config = CONFIG.replace('trusted_hosts = ["good.example", "127.0.0.1"]', "")
    with front_with(tmp_path_factory.mktemp("open"), config) as url:
        yield url


def test_a_duplicate_host_header_gets_400_even_when_the_last_one_is_trusted(front: str) -> None:
    request = get("/echo", "Host: evil.example", "Host: good.example", host=False)

    answer = send_raw(front, request)

    assert answer.status == 400
    assert b"HTTP_HOST" not in answer.body


def test_http_1_1_without_host_gets_400(open_front: str) -> None:
    answer = send_raw(open_front, get("/echo", host=False))

    assert answer.status == 400


def test_http_1_0_without_host_is_still_served(open_front: str) -> None:
    answer = send_raw(open_front, get("/echo", version="HTTP/1.0", host=False))

    assert answer.status == 200


def test_an_asterisk_request_target_gets_400(front: str) -> None:
    answer = send_raw(front, get("*"))

    assert answer.status == 400


def test_http_1_0_with_chunked_framing_gets_400(front: str) -> None:
    request = (
        b"POST /echo HTTP/1.0\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n"
    )

    answer = send_raw(front, request)

    assert answer.status == 400


def test_one_host_header_is_served(front: str) -> None:
    answer = send_raw(front, get("/echo"))

    assert answer.status == 200
    assert answer.json()["HTTP_HOST"] == "127.0.0.1"


def test_a_duplicate_host_header_gets_400_without_trusted_hosts(open_front: str) -> None:
    request = get("/echo", "Host: evil.example", "Host: good.example", host=False)

    assert send_raw(open_front, request).status == 400
