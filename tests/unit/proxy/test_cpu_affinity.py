"""`[server] cpu_affinity`: which core a front process takes, and that every thread follows."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from proxy import cpu_affinity
from proxy.cpu_affinity import AffinityError, candidate_cores, claim_core
from proxy.settings import ConfigError, parse_settings

CORES = sorted(os.sched_getaffinity(0))


@pytest.fixture(autouse=True)
def release_claims() -> Iterator[None]:
    yield
    while cpu_affinity._claimed:
        cpu_affinity._claimed.pop().close()


def test_pinning_is_off_by_default() -> None:
    settings = parse_settings('[legacy]\napp = "m:app"\n')

    assert settings.server.cpu_affinity == ()
    assert cpu_affinity.apply(settings.server.cpu_affinity) is None


def test_auto_offers_every_core_the_process_may_run_on() -> None:
    assert candidate_cores("auto") == CORES


def test_a_core_the_process_may_not_use_is_a_clear_error() -> None:
    with pytest.raises(AffinityError, match=r"core\(s\) 4096 not available to this process"):
        candidate_cores([CORES[0], 4096])


def test_a_negative_core_names_the_key_and_its_line() -> None:
    with pytest.raises(ConfigError, match=r":4: server.cpu_affinity: .*core numbers start at 0"):
        parse_settings('[legacy]\napp = "m:app"\n[server]\ncpu_affinity = [-1]\n')


def test_each_claim_takes_a_core_no_other_claim_holds(tmp_path: Path) -> None:
    first = claim_core([5, 6], tmp_path)
    second = claim_core([5, 6], tmp_path)

    assert (first, second) == (5, 6)


def test_claims_beyond_the_cores_share_them_round_robin(tmp_path: Path) -> None:
    claim_core([5], tmp_path)

    assert claim_core([5], tmp_path) == 5


def test_a_core_is_free_again_once_its_holder_is_gone(tmp_path: Path) -> None:
    holder = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path;"
         "from proxy.cpu_affinity import claim_core;"
         "print(claim_core([5, 6], Path(sys.argv[1])))", str(tmp_path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    assert holder.stdout.strip() == "5"
    assert claim_core([5, 6], tmp_path) == 5


def test_pinning_moves_threads_already_running_and_those_started_later() -> None:
    script = """
import os, threading
from proxy.cpu_affinity import pin_process
stop = threading.Event()
before = threading.Thread(target=stop.wait); before.start()
pin_process(int(os.environ["CORE"]))
after = threading.Thread(target=stop.wait); after.start()
for task in sorted(os.listdir("/proc/self/task")):
    print(sorted(os.sched_getaffinity(int(task))))
stop.set()
"""
    core = CORES[-1]
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, check=True, env={**os.environ, "CORE": str(core)},
    )  # fmt: skip

    assert result.stdout.splitlines() == [f"[{core}]"] * 3
