"""Lines per second of `strangler codemod flask` against a bare libcst parse+render of the same
files. Corpus: legacy_examples/flask_shop plus a published Flask package fetched with pip into
bench/.work (not committed); then `strangler codemod django` on legacy_examples/django_blog (its
whole-project analysis counted once per run). Target: the codemod costs at most 3x a bare
parse+render.

Then the whole run with and without its verification (codemods/engine/verify) on flask_shop and
on django_blog: bare parse+render, the run with --no-verify, the run verified (its child forked by
the warm verification server, codemods/engine/verify/warm.py, as the CLI does by default) and the
run verified with a cold child (STRANGLER_VERIFY_WARM=0), interleaved, medians, as ratios to the
bare one. CPU time first: this process's and its children's (the cold child, the formatter), plus
what a forked child reports of its own (getrusage cannot see it); unlike wall time it hardly
depends on the machine's load. The warm server's own start-up is paid once and printed apart.

Last, the command as a user runs it, each run a fresh process (interpreter start-up and imports
included): `strangler codemod ... --no-verify` and verified (warm server) against a fresh process
that imports libcst and parses and renders the same files. Wall time, and CPU time of the process
and its waited-for children (ruff; not the warm server's forked child, which the in-process rows
above count). codemods/ and proxy/ are byte-compiled first (`compileall`), as pip leaves an
installed package and as libcst is for the bare process: where PYTHONDONTWRITEBYTECODE is set (this
project's Docker image sets it) an editable install's modules are otherwise compiled again by every
process, about 0.09 s of CPU for Flask's and 0.18 s for Django's on this machine.

Both sides of the per-file figures are measured in CPU time of this process (the machine is
shared), alternating file by file (bare parse+render of a file, then the codemod of the same file)
so both see the same machine load; the figures are the medians of N runs over the corpus.

The in-process rows run with what this process imported frozen out of the garbage
collector's passes (`gc.freeze()`), as the command freezes its imports (codemods/engine/
collector.py): unfrozen, each full pass walked the half million objects of the imports, and
whether one fell inside a run or not spread django_blog's per-file runs from 1.9x to 3.0x
within one round of 5 (2.5x to 2.8x frozen).

Every in-process run starts as a fresh process's run would: the codemods' caches keyed by a
source, a path or its modification time (functools caches taking arguments: a package's guard
decorators, its login setup, its parsed templates...) are emptied before it (`forget_runs`), so a
run never reuses what the previous run of the same sources found. What a process computes once
whatever the sources (imports, the tables of each rule class's hooks) stays warm, as it stays out
of the bare parse+render's figure too.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import libcst

from codemods.django.framework import DJANGO
from codemods.engine.framework import Framework
from codemods.engine.runner import (
    dotted_package,
    is_test_module,
    resolve_target,
    run,
    transform_source,
)
from codemods.engine.verify.check import start, verify_run
from codemods.engine.verify.warm import WarmChild
from codemods.flask.framework import FLASK
from codemods.flask.registry import REGISTRY
from tests.codemods.published import Unavailable, fetch

ROOT = Path(__file__).resolve().parents[2]
WARM_CHILD_CPU = re.compile(r"its warm child: ([0-9.]+) s of CPU")
TARGET_RATIO = 3.0


def corpus() -> list[tuple[str, Path]]:
    folders = [("legacy_examples/flask_shop", ROOT / "legacy_examples" / "flask_shop")]
    try:
        package = fetch("flask-monitoringdashboard==5.1.0", ROOT / "bench" / ".work")
        folders.append(("flask-monitoringdashboard 5.1.0 (PyPI)", package))
    except Unavailable as error:
        print(f"(published package not available: {error})", file=sys.stderr)
    return folders


def forget_runs() -> None:
    """Empty the codemods' functools caches that take arguments (see the module docstring)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("codemods.") or module is None:
            continue
        for value in list(vars(module).values()):
            wrapped = getattr(value, "__wrapped__", None)
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and wrapped is not None and inspect.signature(wrapped).parameters:
                clear()


def cpu_seconds(work: Callable[[str], object], text: str) -> float:
    start = time.process_time()
    work(text)
    return time.process_time() - start


def alternate_cpu_seconds(
    first: Callable[[str], object], second: Callable[[str], object], texts: list[str], runs: int
) -> list[tuple[float, float]]:
    """CPU time of each of two jobs over all `texts`, run alternately text by text; per run."""
    for text in texts:  # warm-up
        first(text), second(text)
    totals = []
    for _ in range(runs):
        forget_runs()
        timings = [(cpu_seconds(first, t), cpu_seconds(second, t)) for t in texts]
        totals.append((sum(a for a, _ in timings), sum(b for _, b in timings)))
    return totals


def bare(text: str) -> None:
    _ = libcst.parse_module(text).code


def codemod(text: str) -> None:
    transform_source(text, REGISTRY.rules)


def django_ratio(folder: str, runs: int) -> float:
    """The same row for `strangler codemod django` on a Django project: its analysis of the
    whole project (once per run) plus every module through the Django rules, against a bare
    parse+render of the same modules, alternating module by module."""
    from codemods.django.analysis import analyse
    from codemods.django.registry import REGISTRY as DJANGO_REGISTRY
    from codemods.engine.parsed import shared_for_run
    from codemods.engine.runner import source_package
    from codemods.engine.state import ModuleState

    target = resolve_target(folder)
    package = source_package(target.root)
    modules = [
        (path.relative_to(target.root).parts, path.read_text(encoding="utf-8"))
        for path in target.files
        if not is_test_module(path.relative_to(target.root))
    ]
    totals = []
    for index in range(runs + 1):  # the first run warms up
        forget_runs()
        with shared_for_run():  # what the runner's run shares between its modules
            started = time.process_time()
            analysis = analyse(target)
            analysis_seconds = time.process_time() - started
            bare_seconds = codemod_seconds = 0.0
            for parts, text in modules:
                bare_seconds += cpu_seconds(bare, text)
                state = ModuleState(module_path=parts, source_package=package, analysis=analysis)
                codemod_seconds += cpu_seconds(
                    functools.partial(convert_django, DJANGO_REGISTRY.rules, state), text
                )
        if index:
            totals.append((bare_seconds, codemod_seconds + analysis_seconds))
    lines = sum(text.count("\n") + 1 for _, text in modules)
    bare_median = statistics.median(b for b, _ in totals)
    codemod_median = statistics.median(c for _, c in totals)
    ratio = codemod_median / bare_median
    each = sorted(c / b for b, c in totals)
    label = f"{folder} (django)"
    print(
        f"{label:42} {len(modules):>5} {lines:>7} {lines / bare_median:>10.0f}"
        f" {lines / codemod_median:>12.0f} {ratio:5.2f}x ({each[0]:.2f}-{each[-1]:.2f})"
    )
    return ratio


def convert_django(rules: Any, state: Any, text: str) -> object:
    return transform_source(text, rules, state=state)


def whole_runs(folder: str, framework: Framework, runs: int) -> None:
    """Wall and CPU time of bare parse+render, the run with --no-verify, the run verified with
    a child forked by the warm verification server (warm.py), and verified with a cold child."""
    target = resolve_target(folder)
    package = dotted_package(target.root) or target.root.resolve().name
    texts = [
        p.read_text(encoding="utf-8")
        for p in target.files
        if not is_test_module(p.relative_to(target.root))
    ]
    scratch = Path(tempfile.mkdtemp(prefix="strangler-bench-"))
    rules = framework.registry.rules

    def bare_all() -> float:
        for text in texts:
            bare(text)
        return 0.0

    def unverified() -> float:
        out = scratch / "out" / "app"
        run(target, out, rules, framework=framework)
        shutil.rmtree(out.parent)
        return 0.0

    verification: dict[str, list[float]] = {"warm": [], "cold": []}
    steps: dict[str, list[float]] = {}
    server_cpu: list[float] = []

    def verified(kind: str) -> float:
        """The run verified; returns the CPU of a forked child, which getrusage cannot see."""
        os.environ["STRANGLER_VERIFY_WARM"] = "1" if kind == "warm" else "0"
        out = scratch / "out" / "app"
        assert framework.verifier is not None
        pending = start(target.root, package, framework.verifier, env=dict(framework.verifier_env))
        result = run(target, out, rules, framework=framework)
        outcome = verify_run(result, out, pending)
        for step, seconds in outcome.steps.items():
            if kind == "warm":
                steps.setdefault(step, []).append(seconds)
        verification[kind].append(result.verification_seconds or 0.0)
        shutil.rmtree(out.parent)
        if isinstance(pending.process, WarmChild) and pending.process.server_cpu is not None:
            server_cpu.append(pending.process.server_cpu)
        return outcome.child_cpu or 0.0

    jobs: list[Callable[[], float]] = [
        bare_all,
        unverified,
        lambda: verified("warm"),
        lambda: verified("cold"),
    ]
    saved = os.environ.get("STRANGLER_VERIFY_WARM")
    try:
        for job in jobs:  # warm-up (and the warm server's start)
            job()
        for kind in verification:
            verification[kind].clear()
        steps.clear()
        timings: list[list[float]] = [[] for _ in jobs]
        cpu: list[list[float]] = [[] for _ in jobs]
        for _ in range(runs):
            for index, job in enumerate(jobs):
                forget_runs()
                started, spent = time.perf_counter(), cpu_with_children()
                forked = job()
                timings[index].append(time.perf_counter() - started)
                cpu[index].append(cpu_with_children() - spent + forked)
    finally:
        if saved is None:
            os.environ.pop("STRANGLER_VERIFY_WARM", None)
        else:
            os.environ["STRANGLER_VERIFY_WARM"] = saved
    shutil.rmtree(scratch, ignore_errors=True)
    bare_s, plain_s, warm_s, cold_s = (statistics.median(t) for t in timings)
    bare_c, plain_c, warm_c, cold_c = (statistics.median(t) for t in cpu)
    print(
        f"\n{folder}, medians of {runs} interleaved runs (load {os.getloadavg()[0]:.1f}):"
        f"\n  CPU time, child processes included: bare {bare_c:.2f} s; --no-verify"
        f" {plain_c:.2f} s ({plain_c / bare_c:.2f}x); verified {warm_c:.2f} s"
        f" ({warm_c / bare_c:.2f}x, target <= {TARGET_RATIO:.0f}x); verified with a cold"
        f" child {cold_c:.2f} s ({cold_c / bare_c:.2f}x)"
        f"\n  wall time: bare parse+render {bare_s:.2f} s; --no-verify {plain_s:.2f} s"
        f" ({plain_s / bare_s:.2f}x); verified {warm_s:.2f} s ({warm_s / bare_s:.2f}x);"
        f" cold child {cold_s:.2f} s ({cold_s / bare_s:.2f}x)"
        f"\n  the verification's own wall time after the conversion: warm"
        f" {statistics.median(verification['warm']):.2f} s, cold"
        f" {statistics.median(verification['cold']):.2f} s (warm: "
        + ", ".join(f"{step} {statistics.median(t):.2f} s" for step, t in steps.items())
        + ")"
        + (
            f"\n  the warm server's own start-up, paid once: {server_cpu[-1]:.2f} s of CPU"
            if server_cpu
            else ""
        )
    )


BARE_PROCESS = """
import sys
import libcst
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as file:
        libcst.parse_module(file.read()).code
"""


def command_runs(folder: str, framework: str, runs: int) -> None:
    """The command line as a user runs it, against a fresh process doing the bare parse+render:
    wall and CPU time (the verified run's with the CPU of the child the warm server forked for
    it, which its summary prints), medians of `runs` interleaved runs."""
    target = resolve_target(folder)
    files = [str(p) for p in target.files if not is_test_module(p.relative_to(target.root))]
    byte_compile = [sys.executable, "-m", "compileall", "-q", "codemods", "proxy"]
    subprocess.run(byte_compile, cwd=ROOT, capture_output=True, check=True)  # see the docstring
    scratch = Path(tempfile.mkdtemp(prefix="strangler-bench-cli-"))
    out = scratch / "out" / "app"
    strangler = [sys.executable, "-c", "from proxy.cli import main; main()", "codemod", framework]
    commands = {
        "bare parse+render process": [sys.executable, "-c", BARE_PROCESS, *files],
        "strangler codemod --no-verify": [*strangler, folder, "--out", str(out), "--no-verify"],
        "strangler codemod (verified)": [*strangler, folder, "--out", str(out)],
    }
    timings: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for index in range(runs + 1):  # the first run warms up (and starts the warm server)
        for label, command in commands.items():
            shutil.rmtree(out.parent, ignore_errors=True)
            started, spent = time.perf_counter(), cpu_with_children()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, check=True, text=True)
            took, spent = time.perf_counter() - started, cpu_with_children() - spent
            child = WARM_CHILD_CPU.search(done.stdout)  # the summary's, unseen by getrusage
            if index:
                timings[label].append((took, spent + (float(child[1]) if child else 0.0)))
    shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"\n{folder}, the command in a fresh process (its packages byte-compiled), medians of"
        f" {runs} interleaved runs (load {os.getloadavg()[0]:.1f}):"
    )
    print_ratios(timings)


def print_ratios(timings: dict[str, list[tuple[float, float]]]) -> None:
    """Per command, the medians of its (wall, CPU) runs and their ratios to the first one's."""
    wall = {label: statistics.median(w for w, _ in found) for label, found in timings.items()}
    cpu = {label: statistics.median(c for _, c in found) for label, found in timings.items()}
    base = next(iter(timings))
    for label in timings:
        ratios = f"({cpu[label] / cpu[base]:.2f}x CPU, {wall[label] / wall[base]:.2f}x wall)"
        print(f"  {label:32} CPU {cpu[label]:.2f} s, wall {wall[label]:.2f} s {ratios}")


def cpu_with_children() -> float:
    """CPU seconds of this process and of its waited-for children (ruff, the verification's)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(runs: int = 5) -> int:
    gc.freeze()  # as the command does after its imports (see the module docstring)
    print(
        f"{'corpus':42} {'files':>5} {'lines':>7} {'bare l/s':>10} {'codemod l/s':>12}"
        " ratio (runs min-max)"
    )
    worst = 0.0
    for label, folder in corpus():
        sources = []
        for path in sorted(folder.rglob("*.py")):
            if is_test_module(path.relative_to(folder)):
                continue  # the codemod skips the legacy app's own tests
            text = path.read_text(encoding="utf-8")
            try:
                libcst.parse_module(text)
            except libcst.ParserSyntaxError:
                continue
            sources.append(text)
        lines = sum(text.count("\n") + 1 for text in sources)

        totals = alternate_cpu_seconds(bare, codemod, sources, runs)
        bare_seconds = statistics.median(b for b, _ in totals)
        codemod_seconds = statistics.median(c for _, c in totals)
        ratio = codemod_seconds / bare_seconds
        each = sorted(c / b for b, c in totals)
        worst = max(worst, ratio)
        print(
            f"{label:42} {len(sources):>5} {lines:>7} {lines / bare_seconds:>10.0f}"
            f" {lines / codemod_seconds:>12.0f} {ratio:5.2f}x ({each[0]:.2f}-{each[-1]:.2f})"
        )
    worst = max(worst, django_ratio("legacy_examples/django_blog", runs))
    verdict = "OK" if worst <= TARGET_RATIO else "OVER TARGET"
    target = f"target <= {TARGET_RATIO:.0f}x; medians of {runs} runs"
    print(f"worst ratio {worst:.2f}x ({target}): {verdict}")
    whole_runs("legacy_examples/flask_shop", FLASK, runs)
    whole_runs("legacy_examples/django_blog", DJANGO, runs)
    command_runs("legacy_examples/flask_shop", "flask", runs)
    command_runs("legacy_examples/django_blog", "django", runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
