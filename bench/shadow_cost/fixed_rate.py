"""A small fixed-rate HTTP/1.1 load generator (wrk2's model, in asyncio): `connections`
keep-alive connections share `rate` requests per second on a fixed schedule, each request's
latency counted from the time it was due, not from when it could be sent. A server that falls
behind therefore shows its queueing in the latency (no coordinated omission), as wrk2 and oha
`-q` do. Also a closed-loop mode (every connection sends as fast as answers come) to measure
capacity when wrk is not installed.

Lean on purpose: raw streams, Content-Length bodies only, so the client costs little CPU next
to the server it measures.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


def _request(host: str, port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n\r\n".encode()


async def _connection(
    host: str,
    port: int,
    request: bytes,
    due_times: list[float] | None,
    stop_at: float,
    result: Result,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        index = 0
        while True:
            if due_times is not None:
                if index >= len(due_times):
                    return
                due = due_times[index]
                index += 1
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
            else:
                due = time.perf_counter()
                if due >= stop_at:
                    return
            writer.write(request)
            try:
                status = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                result.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            result.latencies.append(time.perf_counter() - due)
            result.statuses[status] = result.statuses.get(status, 0) + 1
    finally:
        writer.close()


async def _run(
    host: str, port: int, path: str, *, rate: float | None, seconds: float, connections: int
) -> Result:
    result = Result()
    request = _request(host, port, path)
    start = time.perf_counter() + 0.05
    stop_at = start + seconds
    tasks = []
    for n in range(connections):
        due_times = None
        if rate is not None:
            per_connection = rate / connections
            count = int(seconds * per_connection)
            offset = n / rate  # the connections' schedules interleave evenly
            due_times = [start + offset + i / per_connection for i in range(count)]
        tasks.append(_connection(host, port, request, due_times, stop_at, result))
    began = time.perf_counter()
    await asyncio.gather(*tasks)
    result.seconds = max(time.perf_counter() - max(began, start), 1e-9)
    return result


def fixed_rate(
    host: str, port: int, path: str, *, rate: float, seconds: float, connections: int
) -> Result:
    return asyncio.run(_run(host, port, path, rate=rate, seconds=seconds, connections=connections))


def closed_loop(host: str, port: int, path: str, *, seconds: float, connections: int) -> Result:
    return asyncio.run(_run(host, port, path, rate=None, seconds=seconds, connections=connections))
