"""Raw-socket clients for the edge tests: bytes go out exactly as written, no client library
normalises a header name, adds a Host or merges duplicates."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.support.servers import running_front


@dataclass(frozen=True)
class RawAnswer:
    status: int  # 0 when the server closed the connection without answering
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def connect(base_url: str, timeout: float = 10.0) -> socket.socket:
    return socket.create_connection(address(base_url), timeout=timeout)


def read_answer(sock: socket.socket) -> RawAnswer:
    """Read one response (Content-Length framed, or until the server closes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return RawAnswer(0, {}, data)
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = headers.get("content-length")
    if length is not None:
        while len(body) < int(length):
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    else:
        while chunk := sock.recv(65536):
            body += chunk
    return RawAnswer(status, headers, body)


def send_raw(base_url: str, request: bytes, timeout: float = 10.0) -> RawAnswer:
    """Send `request` as written and read the answer."""
    with connect(base_url, timeout) as sock:
        sock.sendall(request)
        try:
            return read_answer(sock)
        except ConnectionResetError:
            return RawAnswer(0, {}, b"")


def get(path: str, *header_lines: str, version: str = "HTTP/1.1", host: bool = True) -> bytes:
    lines = [f"GET {path} {version}"]
    if host:
        lines.append("Host: 127.0.0.1")
    lines += [*header_lines, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@contextmanager
def front_with(tmp_path: Path, config: str, **env: str) -> Iterator[str]:
    """A real `strangler serve` process for `config`; yields its base URL."""
    path = tmp_path / "strangler.toml"
    path.write_text(config)
    with running_front(path, env=env) as url:
        yield url
