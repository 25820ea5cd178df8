"""Why the front closed a connection: a count per reason, and a debug line for each close.

    close_connection(transport, "keepalive_timeout")

Every close the front initiates goes through here (proxy/http_protocol.py, proxy/
response_cycle.py), so that a client's "server disconnected" can be matched with a reason.
The counts are per process; `/metrics` shows them as
`strangler_connections_closed_total{reason}` (one process; not under PROMETHEUS_MULTIPROC_DIR).

The reasons:
- keepalive_timeout: no byte of a next request within `[edge] keepalive_timeout`
- no_request: a new connection sent no byte within `[edge] header_timeout`
- header_timeout, header_too_large, uri_too_long: the request head was refused (408, 431, 414)
- invalid_request: the request could not be parsed (400)
- not_keep_alive: the exchange ended the connection (HTTP/1.0, `Connection: close` either way)
- app_error: the application failed after its response began, which is then cut short
- shutdown: the server is stopping and the connection was idle
"""

from __future__ import annotations

import asyncio
from collections import Counter

import structlog

CLOSES: Counter[str] = Counter()
_log = structlog.get_logger("proxy.connections")


def closing(reason: str) -> None:
    """Count and log a close the front is about to make (by a call that closes it itself)."""
    CLOSES[reason] += 1
    _log.debug("connection closed by the front", reason=reason)


def close_connection(transport: asyncio.BaseTransport, reason: str) -> None:
    """Close `transport` (the front's own decision), counted and logged under `reason`."""
    closing(reason)
    transport.close()
