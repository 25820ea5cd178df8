"""Item 1: header names holding `_` are dropped (or refused) before either app sees them, as nginx
(`underscores_in_headers off`) and gunicorn 22+ do: CGI-style environs fold `_` and `-` together,
so `X_Forwarded_For` would otherwise reach the legacy app as HTTP_X_FORWARDED_FOR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.edge_support import front_with, get, send_raw

CONFIG = """
[legacy]
app = "tests.security.edge_apps:legacy_echo"

[migrated]
app = "tests.security.edge_apps:migrated_echo"

[[routes]]
path = "/new/headers"
mode = "new"

[edge]
trusted_hosts = ["127.0.0.1", "good.example"]
{extra}
"""

SPOOFS = (
    "X_Forwarded_For: 7.7.7.7",
    "X_Forwarded_Proto: https",
    "X_Forwarded_Host: evil.example",
    "X_Request_ID: x<script>",
)


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with front_with(tmp_path_factory.mktemp("underscore"), CONFIG.format(extra="")) as url:
        yield url


def test_underscore_spellings_of_forwarded_headers_do_not_reach_the_legacy_environ(
    front: str,
) -> None:
    answer = send_raw(front, get("/echo", *SPOOFS))

    environ = answer.json()
    assert answer.status == 200
    assert "HTTP_X_FORWARDED_FOR" not in environ
    assert "HTTP_X_FORWARDED_PROTO" not in environ
    assert "HTTP_X_FORWARDED_HOST" not in environ
    assert "<script>" not in environ["HTTP_X_REQUEST_ID"]


def test_underscore_headers_do_not_reach_the_migrated_app(front: str) -> None:
    answer = send_raw(front, get("/new/headers", *SPOOFS))

    names = [name for name, _ in answer.json()["headers"]]
    assert answer.status == 200
    assert not [name for name in names if "_" in name]


def test_a_hyphenated_header_still_reaches_the_legacy_app(front: str) -> None:
    environ = send_raw(front, get("/echo", "X-Custom-Thing: yes")).json()

    assert environ["HTTP_X_CUSTOM_THING"] == "yes"


def test_refuse_answers_400_naming_the_header(tmp_path: Path) -> None:
    config = CONFIG.format(extra='underscore_headers = "refuse"')
    with front_with(tmp_path, config) as url:
        answer = send_raw(url, get("/echo", "X_Forwarded_For: 7.7.7.7"))

    assert answer.status == 400
    assert answer.json()["error"] == "invalid_header_name"
    assert "x_forwarded_for" in answer.json()["message"]


def test_keep_passes_underscore_headers_on(tmp_path: Path) -> None:
    config = CONFIG.format(extra='underscore_headers = "keep"')
    with front_with(tmp_path, config) as url:
        environ = send_raw(url, get("/echo", "My_Header: 1")).json()

    assert environ["HTTP_MY_HEADER"] == "1"
