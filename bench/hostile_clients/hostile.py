"""The hostile clients of the bench (run by bench.py in its own process, until SIGTERM):

- slowloris: connections that send a request head one header line at a time, one line a second,
  and reconnect as soon as the server lets them go;
- slow uploads: POSTs announcing a 1 MB body and sending 100 bytes a second, reconnecting too.

    python bench/hostile_clients/hostile.py HOST PORT SLOWLORIS UPLOADS
"""

from __future__ import annotations

import asyncio
import signal
import sys

LINE_EVERY = 1.0
UPLOAD_SIZE = 1_000_000
UPLOAD_CHUNK = 100


async def server_done(reader: asyncio.StreamReader, seconds: float) -> bool:
    """True once the server answers or closes (it is done with this connection)."""
    try:
        await asyncio.wait_for(reader.read(65536), seconds)
    except TimeoutError:
        return False
    return True


async def slowloris(host: str, port: int) -> None:
    while True:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            index = 0
            while not await server_done(reader, LINE_EVERY):
                writer.write(f"X-Slow-{index}: {index}\r\n".encode())
                await writer.drain()
                index += 1
        except OSError:
            pass
        else:
            writer.close()
        await asyncio.sleep(0.05)


async def slow_upload(host: str, port: int) -> None:
    while True:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(
                b"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/octet-stream\r\n"
                + f"Content-Length: {UPLOAD_SIZE}\r\n\r\n".encode()
            )
            sent = 0
            while sent < UPLOAD_SIZE:
                writer.write(b"x" * UPLOAD_CHUNK)
                await writer.drain()
                sent += UPLOAD_CHUNK
                if await server_done(reader, 1.0):
                    break
        except OSError:
            pass
        else:
            writer.close()
        await asyncio.sleep(0.05)


async def main(host: str, port: int, loris: int, uploads: int) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    tasks = [asyncio.create_task(slowloris(host, port)) for _ in range(loris)]
    tasks += [asyncio.create_task(slow_upload(host, port)) for _ in range(uploads)]
    await stop.wait()
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    host, port, loris, uploads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    asyncio.run(main(host, port, loris, uploads))
