"""uvicorn's request-response cycle (httptools), sending the same bytes with less work and fewer
writes: what `proxy.http_protocol.EdgeHttpProtocol` runs for each request.

- A response's head (status line and headers) is written together with its first body part, in
  one write: one segment and one system call where uvicorn makes two. The head waits for that
  part only until the task that sent it yields to the event loop (a callback writes it then), so
  a streamed response's head is never held back; the error paths that close the connection write
  it first, as uvicorn had.
- The head's fields are checked as uvicorn checks them (the same expressions, the same errors),
  all names at once and all values at once, and joined by C functions instead of a Python loop
  over each field; only Content-Length, Transfer-Encoding and Connection are looked at one by one.

Same checks, same errors, same bytes on the wire as uvicorn 0.30 to 0.55's cycle otherwise.
"""

from __future__ import annotations

import asyncio
from operator import itemgetter
from typing import Any

from uvicorn.protocols.http.httptools_impl import (
    HEADER_RE,
    HEADER_VALUE_RE,
    STATUS_LINE,
    RequestResponseCycle,
)
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

from proxy.connection_closes import close_connection

_name = itemgetter(0)
_value = itemgetter(1)
_FIELD = b": ".join  # (name, value) -> b"name: value"
CONTENT_LENGTH = b"content-length"
# the response fields uvicorn's send acts on
_FRAMING = frozenset((CONTENT_LENGTH, b"transfer-encoding", b"connection"))


class EdgeCycle(RequestResponseCycle):
    # the head of a response whose first body part has not been sent yet
    head: bytes | None = None
    loop: asyncio.AbstractEventLoop  # set by the protocol
    # why the connection closes when the response ends it (proxy.connection_closes)
    close_reason = "not_keep_alive"

    async def run_asgi(self, app: Any) -> None:  # uvicorn's, writing a held head before closing
        try:
            result = await app(self.scope, self.receive, self.send)
        except BaseException as exc:
            msg = "Exception in ASGI application\n"
            self.logger.error(msg, exc_info=exc)
            if not self.response_started:
                self.close_reason = "app_error"
                await self.send_500_response()
            else:
                self.write_head()
                close_connection(self.transport, "app_error")
        else:
            if result is not None:
                msg = "ASGI callable should return None, but returned '%s'."
                self.logger.error(msg, result)
                self.write_head()
                close_connection(self.transport, "app_error")
            elif not self.response_started and not self.disconnected:
                msg = "ASGI callable returned without starting response."
                self.logger.error(msg)
                self.close_reason = "app_error"
                await self.send_500_response()
            elif not self.response_complete and not self.disconnected:
                msg = "ASGI callable returned without completing response."
                self.logger.error(msg)
                self.write_head()
                close_connection(self.transport, "app_error")
        finally:
            self.on_response = lambda: None

    def write_head(self) -> None:
        """Write the held head now (the task that sent it yielded, or the connection closes)."""
        head = self.head
        if head is not None:
            self.head = None
            self.transport.write(head)

    async def send(self, message: Any) -> None:
        if self.flow.write_paused and not self.disconnected:
            self.write_head()
            await self.flow.drain()  # pragma: no cover (as uvicorn's)

        if self.disconnected:
            return

        if not self.response_started:
            if message["type"] != "http.response.start":
                raise RuntimeError(
                    f"Expected ASGI message 'http.response.start', but got '{message['type']}'."
                )
            self.response_started = True
            self.waiting_for_100_continue = False
            status_code = message["status"]
            headers = self.default_headers + list(message.get("headers", []))
            if self.access_log:
                self.access_logger.info(
                    '%s - "%s %s HTTP/%s" %d',
                    get_client_addr(self.scope),
                    self.scope["method"],
                    get_path_with_query_string(self.scope),
                    self.scope["http_version"],
                    status_code,
                )
            self.head = self.response_head(status_code, headers)
            self.loop.call_soon(self.write_head)

        elif not self.response_complete:
            if message["type"] != "http.response.body":
                raise RuntimeError(
                    f"Expected ASGI message 'http.response.body', but got '{message['type']}'."
                )
            body = message.get("body", b"")
            more_body = message.get("more_body", False)
            head = self.head
            self.head = None
            data: bytes
            if self.scope["method"] == "HEAD":
                self.expected_content_length = 0
                data = b""
            elif self.chunked_encoding:
                data = b"%x\r\n%s\r\n" % (len(body), body) if body else b""
                if not more_body:
                    data += b"0\r\n\r\n"
            else:
                num_bytes = len(body)
                if num_bytes > self.expected_content_length:
                    if head is not None:
                        self.transport.write(head)
                    raise RuntimeError("Response content longer than Content-Length")
                self.expected_content_length -= num_bytes
                data = body
            if head is not None:
                if len(data) < 65536:  # one write; a large body is not copied
                    self.transport.write(b"".join((head, data)))
                else:
                    self.transport.write(head)
                    self.transport.write(data)
            elif data:
                self.transport.write(data)

            if not more_body:
                if self.expected_content_length != 0:
                    raise RuntimeError("Response content shorter than Content-Length")
                self.response_complete = True
                self.message_event.set()
                if not self.keep_alive:
                    close_connection(self.transport, self.close_reason)
                self.on_response()

        else:
            raise RuntimeError(
                f"Unexpected ASGI message '{message['type']}' sent, after response already"
                " completed."
            )

    def response_head(self, status_code: int, headers: list[Any]) -> bytes:
        """The status line and fields as uvicorn writes them; sets the framing as it does."""
        status_line = STATUS_LINE[status_code]
        names = b"".join(map(_name, headers))
        if (
            HEADER_RE.search(names)
            or HEADER_VALUE_RE.search(b"".join(map(_value, headers)))
            or not names.islower()
        ):
            return self.response_head_by_field(status_line, status_code, headers)
        first = dict(reversed(headers))  # each name's first value (and every field is a pair)
        framing = first.keys() & _FRAMING
        if framing:
            if len(framing) > 1 or CONTENT_LENGTH not in framing:  # uvicorn's loop decides
                return self.response_head_by_field(status_line, status_code, headers)
            self.expected_content_length = int(first[CONTENT_LENGTH].decode())
            self.chunked_encoding = False
        content = [status_line, b"\r\n".join(map(_FIELD, headers))]
        if headers:
            content.append(b"\r\n")
        return self.head_end(content, status_code, False)

    def response_head_by_field(
        self, status_line: bytes, status_code: int, headers: list[Any]
    ) -> bytes:
        """uvicorn's own loop: names with capitals, a field it refuses (the same error), framing
        other than a Content-Length alone."""
        content = [status_line]
        has_connection_close = False
        for name, value in headers:
            if HEADER_RE.search(name):
                raise RuntimeError("Invalid HTTP header name.")
            if HEADER_VALUE_RE.search(value):
                raise RuntimeError("Invalid HTTP header value.")
            name = name.lower()
            if name == b"content-length" and self.chunked_encoding is None:
                self.expected_content_length = int(value.decode())
                self.chunked_encoding = False
            elif name == b"transfer-encoding" and value.lower() == b"chunked":
                self.expected_content_length = 0
                self.chunked_encoding = True
            elif name == b"connection":
                connection = [token.lower().strip() for token in value.split(b",")]
                if b"close" in connection:
                    self.keep_alive = False
                    has_connection_close = True
            content.extend([name, b": ", value, b"\r\n"])
        return self.head_end(content, status_code, has_connection_close)

    def head_end(self, content: list[bytes], status_code: int, has_connection_close: bool) -> bytes:
        if not self.keep_alive and not has_connection_close:
            content.append(b"connection: close\r\n")
        if (
            self.chunked_encoding is None
            and self.scope["method"] != "HEAD"
            and status_code not in (204, 304)
        ):
            self.chunked_encoding = True
            content.append(b"transfer-encoding: chunked\r\n")
        content.append(b"\r\n")
        return b"".join(content)
