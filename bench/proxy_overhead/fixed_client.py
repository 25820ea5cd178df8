"""A client sending a fixed number of identical requests over keep-alive connections, as wrk does
(bench.py's request: Content-Type JSON and Content-Length), each connection sending its next
request when the previous response is in. wrk runs for a fixed time; a count that does not depend
on how fast the server is makes instruction counts of a whole server comparable.

    python fixed_client.py URL METHOD PATH BODY REQUESTS [CONNECTIONS]

Prints JSON: requests sent, and how many responses of each status came back.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from urllib.parse import urlsplit


def request_bytes(host: str, method: str, path: str, body: str) -> bytes:
    data = body.encode()
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Length: {len(data)}\r\nContent-Type: application/json\r\n\r\n"
    )
    return head.encode() + data


async def connection(
    host: str, port: int, request: bytes, count: int, statuses: Counter[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for _ in range(count):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            statuses[int(lines[0].split()[1])] += 1
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
    finally:
        writer.close()


async def send_all(url: str, request: bytes, requests: int, connections: int) -> Counter[int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    statuses: Counter[int] = Counter()
    each, extra = divmod(requests, connections)
    await asyncio.gather(
        *(
            connection(parts.hostname, parts.port, request, each + (i < extra), statuses)
            for i in range(connections)
        )
    )
    return statuses


def main() -> int:
    url, method, path, body, requests = sys.argv[1:6]
    connections = int(sys.argv[6]) if len(sys.argv) > 6 else 32
    host = urlsplit(url).netloc
    request = request_bytes(host, method, path, body)
    statuses = asyncio.run(send_all(url, request, int(requests), connections))
    print(json.dumps({"requests": int(requests), "statuses": dict(statuses)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
