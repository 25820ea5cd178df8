"""A warm start for the verification's child (see probe.py): a server process that has imported
what every child imports first (the adapter, its framework's runtime, Flask or Django, FastAPI,
SQLAlchemy, httpx) and forks a fresh child per codemod run. Importing those took most of a cold
child's CPU (0.8 of 1.1 s on the example shop).

    python -m codemods.engine.verify.warm ADAPTER SOCKET      (started by `WarmChild`)

What keeps it correct:
- the server never imports the legacy app or any generated code: each run's child does, after
  the fork, and exits with it; no state of one run reaches the next;
- the child gets the run's environment (the sandbox's, as a cold child would), working folder,
  `sys.path` and standard error, and writes nothing into the user's tree (its result goes to
  the sandbox, the server's socket lives in a private temporary folder);
- before each fork the server checks the files of every module it imported; if one changed
  (an upgraded package, an edited runtime) it answers "stale" and exits, and the run starts a
  new server;
- the installed libraries the legacy package imports at module level (libraries.py; the run
  names them) are imported by the server before it forks, each once; if importing one starts
  a thread or configures a framework (whether or not it imports), the server answers "stale",
  writes its name beside its socket (`<key>.refused`, never imported again there) and exits;
- it exits after `IDLE_SECONDS` without a run (STRANGLER_VERIFY_WARM_IDLE), and
  STRANGLER_VERIFY_WARM=0 turns it off: every run then starts a cold child.

Protocol on the Unix socket, one JSON line each way per step: the client sends {"spec", "out",
"env", "cwd", "stderr", "libraries"}; the server answers {"pid", "server_cpu"} (or
{"stale": true}); the client then writes the output description (the cold child's standard
input) and shuts its side; the child answers {"exit", "cpu"} when done.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from codemods.engine.verify.libraries import import_installed
from codemods.engine.verify.sandbox import DATABASE_VARIABLES

IDLE_SECONDS = float(os.environ.get("STRANGLER_VERIFY_WARM_IDLE", "900"))
CONNECT_SECONDS = 120.0  # a server still importing (a loaded machine) answers late
# What names a particular app or its database: the server imports no app, each child gets them.
APP_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "FLASK_APP",
    *DATABASE_VARIABLES,
)


def enabled() -> bool:
    return os.environ.get("STRANGLER_VERIFY_WARM", "1") not in ("0", "", "false", "no")


def server_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"strangler-verify-warm-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def server_key(adapter: str) -> str:
    """One server per Python, adapter and copy of the codemods package."""
    import codemods

    where = str(Path(codemods.__file__).resolve().parent)
    path = os.environ.get("PYTHONPATH", "")
    text = f"{sys.executable}\0{adapter}\0{where}\0{path}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cpu_seconds() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# -- the server -------------------------------------------------------------------------------
def module_files() -> dict[str, int]:
    found = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path:
            with contextlib.suppress(OSError):
                found[path] = os.stat(path).st_mtime_ns
    return found


def unchanged(files: dict[str, int]) -> bool:
    for path, mtime in files.items():
        try:
            if os.stat(path).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return True


def serve(adapter: str, path: Path) -> int:
    lock = open(path.with_suffix(".lock"), "w")  # noqa: SIM115 (held for the server's life)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another server for this key is alive or starting
    from codemods.engine.verify import probe

    probe.preimport(adapter)
    if configured_framework():
        return 3  # an app's settings were read at import: not a state to share between runs
    refused_path = path.with_suffix(".refused")
    refused = read_refused(refused_path)
    asked: set[str] = set()  # libraries the runs named, imported or not
    started_cpu = cpu_seconds()
    files = module_files()
    # What the server holds never changes: the children's collections need not walk it (nor
    # copy the pages they would write to while walking it).
    gc.collect()
    gc.freeze()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished children are reaped by the kernel
    try:
        while select.select([listener], [], [], IDLE_SECONDS)[0]:
            connection, _ = listener.accept()
            with connection:
                connection.settimeout(30)
                try:
                    request = read_line(connection)
                except OSError:
                    continue
                connection.settimeout(None)  # the child reads it as its (blocking) stdin
                if request is None:
                    continue
                if not unchanged(files):
                    return stale(path, listener, connection)
                libraries = [str(n) for n in request.get("libraries", ()) if n not in asked]
                asked.update(libraries)
                # Python's threads: one holding a lock at the fork leaves it held in the child.
                # A library's native threads are its own to handle at a fork (OpenBLAS, which
                # numpy and scipy load, starts its pool at import and stops it before a fork).
                threads = threading.active_count()
                imported = []
                for name in libraries:
                    imported += import_installed([name], refused)
                    if threading.active_count() > threads or configured_framework():
                        # not a state to fork from: the next server goes without this one
                        write_refused(refused_path, refused | {name})
                        return stale(path, listener, connection)
                if imported:
                    started_cpu, files = cpu_seconds(), module_files()
                    gc.collect()
                    gc.freeze()
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    os._exit(run_child(connection, request))
                send_line(connection, {"pid": pid, "server_cpu": started_cpu})
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return 0


def stale(path: Path, listener: socket.socket, connection: socket.socket) -> int:
    """Say "stale" and exit; gone before it says so: no one connects to it again."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener.close()
    send_line(connection, {"stale": True})
    return 0


def read_refused(path: Path) -> set[str]:
    """The libraries an earlier server refused to keep (importing them started a thread or
    configured a framework)."""
    try:
        return set(path.read_text(encoding="utf-8").split())
    except OSError:
        return set()


def write_refused(path: Path, names: set[str]) -> None:
    with contextlib.suppress(OSError):
        path.write_text("".join(f"{name}\n" for name in sorted(names)), encoding="utf-8")


def configured_framework() -> bool:
    conf = sys.modules.get("django.conf")
    return conf is not None and bool(conf.settings.configured)


def run_child(connection: socket.socket, request: dict[str, Any]) -> int:
    """In the forked child: become the run's verification child, then report."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        sys.dont_write_bytecode = True
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        sys.path[0] = request["cwd"]  # as `python -m` started there would have it
        stderr = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(stderr, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(connection.fileno(), 0)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        from codemods.engine.verify import probe

        sys.argv = [probe.__file__, request["spec"], request["out"]]  # as a cold child's
        code = probe.main([request["spec"], request["out"]])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            sys.stderr.flush()
            send_line(connection, {"exit": code, "cpu": cpu_seconds()})
    return code


def read_line(connection: socket.socket) -> dict[str, Any] | None:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            return None
        data += chunk
    found = json.loads(data)
    return found if isinstance(found, dict) else None


def send_line(connection: socket.socket, message: dict[str, Any]) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


# -- the client -------------------------------------------------------------------------------
class WarmChild:
    """The verification child of one run, forked by the warm server: what `check.py` needs of a
    `subprocess.Popen` (`communicate`, `kill`). It connects in a thread of its own (starting the
    server when there is none), so that the conversion goes on meanwhile; if no server answers,
    it starts a cold child instead (`cold`)."""

    def __init__(
        self,
        adapter: str,
        request: dict[str, Any],
        cold: Callable[[], subprocess.Popen[str]],
    ) -> None:
        self.adapter = adapter
        self.request = request
        self.cold_start = cold
        self.cold: subprocess.Popen[str] | None = None
        self.connection: socket.socket | None = None
        self.pid: int | None = None
        self.server_cpu: float | None = None  # the server's own start-up, paid once
        self.cpu: float | None = None  # the child's CPU seconds, as it reported them
        self.ready = threading.Thread(target=self._connect, name="strangler-warm", daemon=True)
        self.ready.start()

    def _connect(self) -> None:
        try:
            for _ in range(2):  # a stale server exits: then once more with a new one
                connection = self._open()
                connection.settimeout(CONNECT_SECONDS)
                send_line(connection, self.request)
                answer = read_line(connection)
                if answer is not None and "pid" in answer:
                    self.connection, self.pid = connection, int(answer["pid"])
                    self.server_cpu = float(answer.get("server_cpu") or 0.0)
                    return
                connection.close()
        except (OSError, ValueError):  # no server, or an answer that is not one: a cold child
            pass
        self.cold = self.cold_start()

    def _open(self) -> socket.socket:
        path = server_folder() / f"{server_key(self.adapter)}.sock"
        deadline = time.monotonic() + CONNECT_SECONDS
        server: subprocess.Popen[bytes] | None = None
        while True:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(str(path))
                return connection
            except OSError:
                connection.close()
                if time.monotonic() > deadline:
                    raise
            if server is None:
                server = start_server(self.adapter, path)
            elif server.poll():  # it failed (0: another server holds the lock and answers)
                raise OSError(f"the warm verification server exited with {server.returncode}")
            time.sleep(0.02)

    def communicate(self, text: str | None = None, timeout: float | None = None) -> tuple[str, str]:
        self.ready.join()
        if self.cold is not None:
            return self.cold.communicate(text, timeout=timeout)
        connection, self.connection = self.connection, None
        if connection is None:  # already answered, or killed
            return "", self.stderr()
        connection.settimeout(timeout)
        try:
            with contextlib.suppress(OSError):  # a child that died early
                connection.sendall((text or "").encode())
                connection.shutdown(socket.SHUT_WR)
            answer = read_line(connection)
        except TimeoutError as error:
            raise subprocess.TimeoutExpired("verification child", timeout or 0.0) from error
        finally:
            connection.close()
        if answer is not None:
            self.cpu = float(answer.get("cpu") or 0.0)
        return "", self.stderr()

    def stderr(self) -> str:
        path = Path(self.request["stderr"])
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def kill(self) -> None:
        self.ready.join()
        if self.cold is not None:
            self.cold.kill()
        elif self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def start_server(adapter: str, path: Path) -> subprocess.Popen[bytes]:
    """A detached server for `adapter`: its own session, no inherited output (a caller reading
    the codemod's output to its end must not wait for the server)."""
    import codemods

    root = str(Path(codemods.__file__).resolve().parents[1])
    env = {key: value for key, value in os.environ.items() if key not in APP_VARIABLES}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, "-m", "codemods.engine.verify.warm", adapter, str(path)],
        cwd=path.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1], Path(sys.argv[2])))
