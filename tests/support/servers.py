"""Start real servers (uvicorn, gunicorn, ...) on a free loopback port for integration tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def venv_command(name: str) -> str:
    """A console script of the running virtualenv (gunicorn, uvicorn, strangler, ...)."""
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else name


@contextmanager
def running_server(
    argv: Sequence[str],
    port: int,
    *,
    env: Mapping[str, str] | None = None,
    ready_path: str = "/",
    timeout: float = 30.0,
    cwd: Path = REPO_ROOT,
) -> Iterator[str]:
    """Run `argv` (which must listen on `port`), wait until it answers HTTP, yield its base URL.

    Any HTTP answer to `ready_path` counts as ready. The process group is terminated on exit, and
    its output is shown when it fails to start.
    """
    full_env = {**os.environ, **(env or {})}
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"strangler-server-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                output = log_path.read_text(errors="replace")
                raise RuntimeError(f"{argv[0]} exited with {proc.returncode}:\n{output}")
            try:
                httpx.get(base_url + ready_path, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{argv[0]} did not answer within {timeout}s:\n"
                        f"{log_path.read_text(errors='replace')}"
                    ) from None
                time.sleep(0.1)
        yield base_url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def run_pytest(
    args: Sequence[str], env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a pytest suite in a subprocess (e.g. a legacy suite over HTTP) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def strangler_serve_command(config: Path | str, port: int) -> list[str]:
    """`strangler serve` (uvicorn, one worker) for `config` on a loopback port."""
    return [venv_command("strangler"), "serve", "--config", str(config), "--port", str(port)]


def _names_a_store(config: Path) -> bool:
    try:
        return "url" in tomllib.loads(config.read_text()).get("store", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


@contextmanager
def running_front(
    config: Path | str, *, env: Mapping[str, str] | None = None, ready_path: str = "/healthz"
) -> Iterator[str]:
    """Serve `config` through the strangler front (a real uvicorn process); yield its base URL.

    Unless the config or `env` names a state store, the front gets a fresh one of its own, so
    no live mode left beside a shared config (the repository's strangler.toml) changes what it
    serves."""
    port = free_port()
    env = {**(env or {})}
    if "STRANGLER_STORE__URL" not in env and not _names_a_store(Path(config)):
        scratch = Path(tempfile.mkdtemp(prefix="strangler-test-store-"))
        env["STRANGLER_STORE__URL"] = f"sqlite:///{scratch / 'state.db'}"
    with running_server(
        strangler_serve_command(config, port), port, env=env, ready_path=ready_path
    ) as base_url:
        yield base_url
