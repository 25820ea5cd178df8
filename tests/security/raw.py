"""Raw-socket HTTP/1.1 for the security suite: send exactly these bytes, read what comes back."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    raw_headers: list[tuple[str, str]] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.body)


class RawConnection:
    """One TCP connection to `port` on loopback; requests are written as given."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._buffer = b""

    def __enter__(self) -> RawConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self._buffer += chunk
        return bool(chunk)

    def read_until(self, marker: bytes) -> bytes:
        while marker not in self._buffer:
            if not self._fill():
                raise ConnectionError(f"closed before {marker!r}: {self._buffer[:200]!r}")
        head, self._buffer = self._buffer.split(marker, 1)
        return head + marker

    def read_exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not self._fill():
                raise ConnectionError("closed mid-body")
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def read_some(self) -> bytes:
        if not self._buffer:
            self._fill()
        data, self._buffer = self._buffer, b""
        return data

    def read_head(self) -> RawResponse:
        head = self.read_until(b"\r\n\r\n").decode("latin-1")
        lines = head.split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        pairs = [tuple(line.split(": ", 1)) for line in lines[1:] if line]
        raw = [(name, value) for name, value in pairs]
        return RawResponse(status, {n.lower(): v for n, v in raw}, b"", raw)

    def read_response(self) -> RawResponse:
        response = self.read_head()
        if "content-length" in response.headers:
            response.body = self.read_exactly(int(response.headers["content-length"]))
        elif response.headers.get("transfer-encoding") == "chunked":
            parts = []
            while True:
                size = int(self.read_until(b"\r\n").strip(), 16)
                if size == 0:
                    self.read_until(b"\r\n")
                    break
                parts.append(self.read_exactly(size))
                self.read_exactly(2)
            response.body = b"".join(parts)
        return response


def request_bytes(
    method: str,
    path: str,
    headers: list[tuple[str, str]] = (),
    body: bytes = b"",  # type: ignore[assignment]
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{n}: {v}" for n, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def exchange(
    port: int,
    method: str,
    path: str,
    headers: list[tuple[str, str]] = (),
    body: bytes = b"",  # type: ignore[assignment]
) -> RawResponse:
    with RawConnection(port) as connection:
        connection.send(request_bytes(method, path, headers, body))
        return connection.read_response()
