"""The shadow's new side in a child process of each front worker, at idle CPU priority.

Shadow work (the migrated handler, the comparison) costs about what the client's own request
costs. Run in the worker's process it competes with the clients for the same GIL and core, and
their latency pays for it. In a child at `SCHED_IDLE` (else `nice 19`), the kernel gives it only
CPU time nobody else wants: the clients' requests go first, and a shadow that is slow, busy or
hanging stays in the child. The worker only ships each mirrored request (and legacy's answers)
over a pipe and reads back a small result.

The child loads the legacy app too (`--legacy`, through the front's own WSGI bridge): on the
noise sample it asks legacy the second time itself, at the same idle priority, so that the
worker's legacy threads serve clients only. A child that cannot load it says so in its answers
(`ShadowResult.no_legacy`), and the worker asks legacy itself from then on.

Protocol: length-prefixed pickle frames over the child's stdin and a duplicate of its stdout
(the child's own fd 1 goes to stderr, so a print in the migrated app cannot break a frame);
parent -> child `(id, Mirrored.to_wire())`, child -> parent `(id, kind, payload)`: kind
`"result"` with `ShadowResult.to_wire()`, `"failed"` with the migrated app's error, `"full"`
with why. Plain tuples, not the dataclasses: pickling those costs the front's loop several times
more. The child runs `InlineNewSide`, so it answers exactly as the inline mode does.

On the worker's side nothing waits per request: `submit` writes the frame to the child's pipe
and returns, and the child's output is read by a subprocess protocol's callback, which takes
every whole frame in it at once and hands each answer to its request's callback (no reader
task, no StreamReader, no future per request). `answer` is the same as a coroutine.

A child that dies fails its pending requests (counted as failed) and is started again on the
next request, at most once per RESTART_SECONDS; a child stops when its worker does (EOF).

    python -m proxy.shadow_process MODULE:APP [--legacy MODULE:APP] [--legacy-timeout SECONDS]
                                   [--path DIR ...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pickle
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, cast

import structlog

from proxy.shadow_side import InlineNewSide, Mirrored, ShadowResult

HEADER = struct.Struct("!I")
RESTART_SECONDS = 5.0
MAX_IN_PROGRESS = 256
LEGACY_THREADS = 2
"""The child's legacy threads: the noise samples are a share of the mirrored requests."""
log = structlog.get_logger("strangler.shadow")


class ShadowProcessError(RuntimeError):
    """The child could not answer (not started, died, full): the shadow's own trouble, not the
    new side's."""


class NewSideFailed(ShadowProcessError):
    """The migrated app raised before answering, in the child: the new side's failure."""


def own_paths() -> list[str]:
    """The import path entries of this process outside the interpreter's own (where the apps
    are found: the working directory, the config's directory)."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    return [
        entry or os.getcwd()
        for entry in sys.path
        if not any((entry or os.getcwd()).startswith(prefix) for prefix in prefixes)
    ]


async def write_frame(writer: asyncio.StreamWriter, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    writer.write(HEADER.pack(len(data)) + data)
    await writer.drain()


async def read_frame(reader: asyncio.StreamReader) -> Any:
    (size,) = HEADER.unpack(await reader.readexactly(HEADER.size))
    return pickle.loads(await reader.readexactly(size))


Answered = Callable[[ShadowResult | None, Exception | None], None]
"""A mirrored request's outcome, as `submit` hands it back: the result, or what failed."""


class ProcessNewSide:
    def __init__(
        self,
        app_reference: str,
        *,
        legacy_reference: str | None = None,
        legacy_timeout: float = 1.25,
        charge: Callable[[float], None] | None = None,
    ) -> None:
        """`legacy_reference`: the legacy WSGI app, for the child to ask again on the noise
        sample (for at most `legacy_timeout` seconds); without it the worker asks.
        `charge`: given the seconds the worker's loop spent reading each of the child's
        answers (the shadow's budget, proxy/shadow_budget.py)."""
        self.app_reference = app_reference
        self.legacy_reference = legacy_reference
        self.legacy_timeout = legacy_timeout
        self.asks_legacy = legacy_reference is not None
        self._charge = charge
        self._pipes: _ChildPipes | None = None
        self._next_id = 0
        self._started_at = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        """The child is running: `submit` can hand it a request now."""
        pipes = self._pipes
        return pipes is not None and not pipes.stdin.is_closing()

    @property
    def pid(self) -> int | None:
        return self._pipes.transport.get_pid() if self._pipes is not None else None

    async def start(self) -> None:
        await self._spawn()

    async def _spawn(self) -> None:
        self._started_at = time.monotonic()
        command = [sys.executable, "-m", "proxy.shadow_process", self.app_reference]
        if self.legacy_reference is not None:
            command += ["--legacy", self.legacy_reference,
                        "--legacy-timeout", repr(self.legacy_timeout)]  # fmt: skip
        for entry in own_paths():
            command += ["--path", entry]
        # A session of its own: the signals sent to the worker's process group (a server's
        # shutdown) do not reach it; it stops at the end of its input, after the worker's last
        # mirrored request, or when the worker dies and the pipe closes.
        loop = asyncio.get_running_loop()
        _, pipes = await loop.subprocess_exec(
            lambda: _ChildPipes(self, loop), *command, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=None, start_new_session=True,
        )  # fmt: skip
        self._pipes = pipes

    async def _running(self) -> None:
        async with self._lock:
            if not self.ready:
                if time.monotonic() - self._started_at < RESTART_SECONDS:
                    raise ShadowProcessError("the shadow process is down; restarting soon")
                await self._spawn()

    def submit(self, mirrored: Mirrored, answered: Answered) -> bool:
        """Hand `mirrored` to the running child (a frame written to its pipe, no task, no
        wait); `answered` gets the outcome once its answer is read, or the child's end. False
        when the child is not running (`answer` starts it)."""
        pipes = self._pipes
        if pipes is None or pipes.stdin.is_closing():
            return False
        self._next_id += 1
        number = self._next_id
        data = pickle.dumps((number, mirrored.to_wire()), protocol=pickle.HIGHEST_PROTOCOL)
        pipes.pending[number] = answered
        pipes.stdin.write(HEADER.pack(len(data)) + data)
        return True

    async def answer(self, mirrored: Mirrored) -> ShadowResult:
        await self._running()
        future: asyncio.Future[ShadowResult] = asyncio.get_running_loop().create_future()

        def answered(result: ShadowResult | None, error: Exception | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(cast(ShadowResult, result))

        if not self.submit(mirrored, answered):
            raise ShadowProcessError("the shadow process is gone")
        return await future

    def _received(self, pipes: _ChildPipes, frames: list[tuple[int, str, Any]]) -> None:
        pending = pipes.pending
        for number, kind, payload in frames:
            answered = pending.pop(number, None)
            if answered is None:
                continue
            result: ShadowResult | None = None
            error: Exception | None = None
            if kind == "result":
                try:
                    result = ShadowResult.from_wire(payload)
                except Exception as garbled:
                    error = ShadowProcessError(f"a garbled result: {garbled!r}")
            elif kind == "failed":
                error = NewSideFailed(payload)
            elif kind == "full":
                error = ShadowProcessError(payload)
            else:
                error = ShadowProcessError(f"unexpected answer from the shadow process: {kind!r}")
            try:  # one answer's trouble does not lose the others read with it
                answered(result, error)
            except Exception as failure:
                log.error("shadow_answer_failed", error=repr(failure))

    def _gone(self, pipes: _ChildPipes, code: int | None) -> None:
        """The child's output ended or it exited: its pending requests fail."""
        if self._pipes is pipes:
            self._pipes = None
        pending, pipes.pending = pipes.pending, {}
        if code is not None and code != 0:
            log.error("shadow_process_exited", code=code, pending=len(pending))
        for answered in pending.values():
            answered(None, ShadowProcessError(f"the shadow process exited ({code})"))

    async def close(self) -> None:
        pipes, self._pipes = self._pipes, None
        if pipes is None:
            return
        pipes.stdin.close()
        try:
            await asyncio.wait_for(asyncio.shield(pipes.exited), 5)
        except TimeoutError:
            pipes.transport.kill()
            await pipes.exited
        pipes.transport.close()


class _ChildPipes(asyncio.SubprocessProtocol):
    """The child's pipes, read by callback: each read of its output takes the whole frames in it
    at once (no reader task, no StreamReader), and the time is charged to the budget."""

    def __init__(self, side: ProcessNewSide, loop: asyncio.AbstractEventLoop) -> None:
        self.side = side
        self.buffer = bytearray()
        self.pending: dict[int, Answered] = {}
        """Its requests not answered yet, by number."""
        self.exited: asyncio.Future[int | None] = loop.create_future()
        self.transport: asyncio.SubprocessTransport
        self.stdin: asyncio.WriteTransport

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.SubprocessTransport, transport)
        self.stdin = cast(asyncio.WriteTransport, self.transport.get_pipe_transport(0))

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        charge = self.side._charge
        started = time.perf_counter() if charge is not None else 0.0
        buffer = self.buffer
        buffer += data
        frames = []
        offset, size = 0, len(buffer)
        try:
            with memoryview(buffer) as view:
                while size - offset >= HEADER.size:
                    (length,) = HEADER.unpack_from(view, offset)
                    if size - offset - HEADER.size < length:
                        break
                    start = offset + HEADER.size
                    frames.append(pickle.loads(view[start : start + length]))
                    offset = start + length
        except (pickle.UnpicklingError, EOFError, ValueError) as error:
            log.error("shadow_process_garbled", error=repr(error))
            self.transport.kill()
            return
        finally:
            del buffer[:offset]
        if frames:
            self.side._received(self, frames)
        if charge is not None:
            charge(time.perf_counter() - started)

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        if fd == 1:  # its exit code comes with `process_exited`
            self.side._gone(self, None)

    def process_exited(self) -> None:
        code = self.transport.get_returncode()
        self.side._gone(self, code)
        if not self.exited.done():
            self.exited.set_result(code)


# -- the child -------------------------------------------------------------------------------


def lower_priority() -> str:
    """Idle CPU priority for this process: SCHED_IDLE where Linux has it, else nice 19."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return "SCHED_IDLE"
    with contextlib.suppress(OSError):
        os.nice(19)
        return "nice 19"
    return "unchanged"


def any_core() -> None:
    """Run off the worker's own cores when the machine has others: the child inherits its
    worker's pin (`[server] cpu_affinity`), the core that worker's clients need. Even at idle
    priority, a child that runs there in the worker's gaps leaves the worker's caches cold for
    the next client request. A worker not pinned (every core) leaves the child every core."""
    if not hasattr(os, "sched_setaffinity"):
        return
    with contextlib.suppress(OSError):
        everywhere = set(range(os.cpu_count() or 1))
        others = everywhere - os.sched_getaffinity(0)
        os.sched_setaffinity(0, others or everywhere)


def legacy_bridge(reference: str, timeout: float) -> Any:
    """The legacy WSGI app behind the front's own bridge (what the worker's legacy threads
    answer through), or None when it cannot be loaded here (said on stderr)."""
    from proxy.loading import load_legacy_app
    from proxy.wsgi_bridge import WSGIBridge

    try:
        return WSGIBridge(load_legacy_app(reference), threads=LEGACY_THREADS, timeout=timeout)
    except Exception as error:
        print(f"strangler shadow process: cannot load the legacy app {reference}: {error}; the"
              " worker asks legacy again for the noise samples", file=sys.stderr)  # fmt: skip
        return None


async def serve(
    app: Any, frames_in: int, frames_out: int, legacy: Any = None, legacy_timeout: float = 1.25
) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(frames_in, "rb", buffering=0)
    )
    transport, protocol = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin, os.fdopen(frames_out, "wb", buffering=0)
    )
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    side = InlineNewSide(app, legacy, legacy_timeout)
    in_progress: set[asyncio.Task[None]] = set()

    async def handle(number: int, mirrored: Mirrored) -> None:
        try:
            result = await side.answer(mirrored)
        except Exception as error:
            await write_frame(writer, (number, "failed", f"{type(error).__name__}: {error}"))
        else:
            await write_frame(writer, (number, "result", result.to_wire()))

    async with contextlib.AsyncExitStack() as stack:
        router = getattr(app, "router", None)
        if router is not None and hasattr(router, "lifespan_context"):
            await stack.enter_async_context(router.lifespan_context(app))
        while True:
            try:
                number, wire = await read_frame(reader)
            except (asyncio.IncompleteReadError, EOFError):
                break
            if len(in_progress) >= MAX_IN_PROGRESS:
                await write_frame(writer, (number, "full", "the shadow process is full"))
                continue
            task = asyncio.create_task(handle(number, Mirrored.from_wire(wire)))
            in_progress.add(task)
            task.add_done_callback(in_progress.discard)
        for task in in_progress:
            task.cancel()
        if legacy is not None:
            legacy.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxy.shadow_process")
    parser.add_argument("app")
    parser.add_argument("--legacy", help="the legacy WSGI app, asked again for the noise")
    parser.add_argument("--legacy-timeout", type=float, default=1.25)
    parser.add_argument("--path", action="append", default=[])
    args = parser.parse_args(argv)
    frames_out = os.dup(1)
    os.dup2(2, 1)  # the app's prints go to stderr, never into a frame
    # Stopped by its worker (end of input), not by a signal meant for the worker.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for entry in reversed(args.path):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    priority = lower_priority()
    any_core()
    from proxy.loading import load_migrated_app

    try:
        app = load_migrated_app(args.app)
    except Exception as error:
        print(f"strangler shadow process: cannot load {args.app}: {error}", file=sys.stderr)
        return 1
    legacy = legacy_bridge(args.legacy, args.legacy_timeout) if args.legacy else None
    structlog.get_logger("strangler.shadow").info(
        "shadow_process_started", pid=os.getpid(), priority=priority
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(app, 0, frames_out, legacy, args.legacy_timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
