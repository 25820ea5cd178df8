"""`[server] cpu_affinity` on a real `strangler serve`: every thread of each worker on its core."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.support.servers import free_port, running_server, venv_command

CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = 3

[server]
cpu_affinity = {cores}
"""
CORES = sorted(os.sched_getaffinity(0))


def listening_pids(port: int) -> set[int]:
    listing = subprocess.run(
        ["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return {int(pid) for pid in re.findall(r"pid=(\d+)", listing)}


def thread_cores(pid: int) -> set[tuple[int, ...]]:
    return {
        tuple(sorted(os.sched_getaffinity(int(task)))) for task in os.listdir(f"/proc/{pid}/task")
    }


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def serve(tmp_path: Path, cores: str, *extra: str) -> tuple[list[str], int]:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG.format(cores=cores))
    port = free_port()
    argv = [venv_command("strangler"), "serve", "--config", str(config), "--port", str(port)]
    return [*argv, *extra], port


def test_every_thread_of_the_front_runs_on_the_configured_core(tmp_path: Path) -> None:
    core = CORES[-1]
    argv, port = serve(tmp_path, f"[{core}]")
    with running_server(argv, port, ready_path="/healthz") as url:
        assert httpx.get(url + "/echo").status_code == 200  # legacy threads are running
        (pid,) = listening_pids(port)

        assert thread_cores(pid) == {(core,)}


@pytest.mark.skipif(len(CORES) < 2, reason="needs two cores to give two workers one each")
def test_auto_gives_each_worker_its_own_core(tmp_path: Path) -> None:
    argv, port = serve(tmp_path, '"auto"', "--workers", "2")
    with running_server(argv, port, ready_path="/healthz") as url:
        assert httpx.get(url + "/echo").status_code == 200
        listening = listening_pids(port)  # the supervisor and the workers share the socket
        workers = [pid for pid in listening if parent(pid) in listening]
        cores = [thread_cores(pid) for pid in workers]

    assert len(workers) == 2
    assert all(len(core) == 1 and len(next(iter(core))) == 1 for core in cores)
    assert cores[0] != cores[1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_core_the_machine_lacks_stops_serve_with_exit_2(tmp_path: Path, workers: str) -> None:
    argv, _ = serve(tmp_path, "[4096]", "--workers", workers)

    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert "server.cpu_affinity: core(s) 4096 not available to this process" in result.stderr
