"""Is a request's head fit to pass the edge? Checked on the ASGI scope before any routing.

- Header names holding `_` are dropped (or refused, or kept: `[edge] underscore_headers`), as nginx
  (`underscores_in_headers off`) and gunicorn 22+ do: a WSGI environ spells `X_Forwarded_For` and
  `X-Forwarded-For` both as HTTP_X_FORWARDED_FOR, so the underscore spelling would get past every
  check that strips the hyphenated one.
- Exactly one Host in HTTP/1.1 (at most one in 1.0), no chunked framing in HTTP/1.0, an
  origin-form target (`GET *` is refused): 400, as nginx answers.
- Header count, line and total size limits: 431. The HTTP protocol (`proxy.http_protocol`)
  enforces the same limits while reading, before the memory is spent; this second check covers
  servers that do not run it (gunicorn's own worker class, granian, tests' ASGI transports).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

from proxy.settings import EdgeSettings

# ": " and CRLF around each header field on the wire
FIELD_OVERHEAD = 4
# Set (True) in the scope by proxy.http_protocol when the head has passed the size limits while
# it was read, and has one Host header, no Transfer-Encoding and no '_' in a header name: only the
# request target is left to check.
SIZED_AND_PLAIN = "strangler.head_sized_and_plain"
# `b"x" in data` tries its needle as an int first (raising and clearing a TypeError, ten times
# the cost of the search); an int needle is searched for at once.
UNDERSCORE = ord("_")


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    error: str
    message: str


def header_too_large(message: str) -> Refusal:
    return Refusal(431, "header_too_large", message)


class HeadChecks:
    def __init__(self, settings: EdgeSettings) -> None:
        self.underscores = settings.underscore_headers
        self.max_line = settings.max_header_line
        self.max_count = settings.max_header_count
        self.max_bytes = settings.max_header_bytes

    def check(self, scope: Scope) -> Refusal | None:
        """None when the request may go on. Drops underscore headers from `scope` in place."""
        if scope.get(SIZED_AND_PLAIN) is True:
            raw_path = scope.get("raw_path")
            if raw_path is not None and raw_path.startswith(b"/"):
                return None
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if len(headers) > self.max_count:
            return header_too_large(f"more than {self.max_count} header fields")
        hosts = 0
        framed_by_chunks = False
        underscored: list[bytes] = []
        total = 0
        for name, value in headers:
            size = len(name) + len(value) + FIELD_OVERHEAD
            if size > self.max_line:
                return header_too_large(
                    f"the {name.decode('latin-1')} header is longer than {self.max_line} bytes"
                )
            total += size
            if name == b"host":
                hosts += 1
            elif name == b"transfer-encoding":
                framed_by_chunks = True
            if UNDERSCORE in name:
                underscored.append(name)
        if total > self.max_bytes:
            return header_too_large(f"the request headers are longer than {self.max_bytes} bytes")
        refusal = self.framing(scope, hosts, framed_by_chunks)
        if refusal is not None:
            return refusal
        if underscored and self.underscores != "keep":
            if self.underscores == "refuse":
                names = ", ".join(sorted({name.decode("latin-1") for name in underscored}))
                return Refusal(
                    400,
                    "invalid_header_name",
                    f"header names with '_' are not accepted: {names}",
                )
            scope["headers"] = [(n, v) for n, v in headers if UNDERSCORE not in n]
        return None

    @staticmethod
    def framing(scope: Scope, hosts: int, framed_by_chunks: bool) -> Refusal | None:
        version = scope.get("http_version", "1.1")
        if hosts > 1:
            return Refusal(400, "invalid_host", "more than one Host header")
        if hosts == 0 and version == "1.1":
            return Refusal(400, "invalid_host", "HTTP/1.1 requests need a Host header")
        if framed_by_chunks and version == "1.0":
            return Refusal(400, "bad_framing", "HTTP/1.0 requests cannot use Transfer-Encoding")
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        if not raw_path.startswith(b"/"):
            return Refusal(400, "bad_request_target", "the request target must start with '/'")
        return None
