"""Lines per second of `strangler codemod flask` against a bare libcst parse+render of the same
files. Corpus: legacy_examples/flask_shop plus a published Flask package fetched with pip into
bench/.work (not committed); then `strangler codemod django` on legacy_examples/django_blog (its
whole-project analysis counted once per run). Target: the codemod costs at most 3x a bare
parse+render.

Then the whole run with and without its verification (codemods/engine/verify) on flask_shop, in
wall time (the verification's child process runs beside the conversion): bare parse+render, the
run with --no-verify, the run verified, interleaved, medians, as ratios to the bare one.

The whole runs are also given in CPU time, this process's and its children's (the verification's
child and the formatter): unlike wall time it hardly depends on the machine's load.

Both sides of the per-file figures are measured in CPU time of this process (the machine is
shared), alternating file by file (bare parse+render of a file, then the codemod of the same file)
so both see the same machine load; the figures are the medians of N runs over the corpus.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import libcst

from codemods.engine.runner import is_test_module, resolve_target, run, transform_source
from codemods.engine.verify.check import start, verify_run
from codemods.flask.framework import FLASK
from codemods.flask.registry import REGISTRY
from tests.codemods.published import Unavailable, fetch

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 3.0


def corpus() -> list[tuple[str, Path]]:
    folders = [("legacy_examples/flask_shop", ROOT / "legacy_examples" / "flask_shop")]
    try:
        package = fetch("flask-monitoringdashboard==5.1.0", ROOT / "bench" / ".work")
        folders.append(("flask-monitoringdashboard 5.1.0 (PyPI)", package))
    except Unavailable as error:
        print(f"(published package not available: {error})", file=sys.stderr)
    return folders


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
        started = time.process_time()
        analysis = analyse(target)
        analysis_seconds = time.process_time() - started
        bare_seconds = codemod_seconds = 0.0
        for parts, text in modules:
            bare_seconds += cpu_seconds(bare, text)
            state = ModuleState(module_path=parts, source_package=package, analysis=analysis)
            codemod_seconds += cpu_seconds(
                lambda t, s=state: transform_source(t, DJANGO_REGISTRY.rules, state=s), text
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


def whole_runs(folder: str, package: str, runs: int) -> None:
    """Wall time of bare parse+render, the run with --no-verify and the run verified."""
    target = resolve_target(folder)
    texts = [
        p.read_text(encoding="utf-8")
        for p in target.files
        if not is_test_module(p.relative_to(target.root))
    ]
    scratch = Path(tempfile.mkdtemp(prefix="strangler-bench-"))

    def bare_all() -> None:
        for text in texts:
            bare(text)

    def unverified() -> None:
        out = scratch / "out" / "app"
        run(target, out, REGISTRY.rules, framework=FLASK)
        shutil.rmtree(out.parent)

    verification: list[float] = []
    steps: dict[str, list[float]] = {}

    def verified() -> None:
        out = scratch / "out" / "app"
        assert FLASK.verifier is not None
        pending = start(target.root, package, FLASK.verifier)
        result = run(target, out, REGISTRY.rules, framework=FLASK)
        for step, seconds in verify_run(result, out, pending).steps.items():
            steps.setdefault(step, []).append(seconds)
        verification.append(result.verification_seconds or 0.0)
        shutil.rmtree(out.parent)

    jobs = [bare_all, unverified, verified]
    for job in jobs:  # warm-up
        job()
    verification.clear()
    steps.clear()
    timings: list[list[float]] = [[], [], []]
    cpu: list[list[float]] = [[], [], []]
    for _ in range(runs):
        for index, job in enumerate(jobs):
            started, spent = time.perf_counter(), cpu_with_children()
            job()
            timings[index].append(time.perf_counter() - started)
            cpu[index].append(cpu_with_children() - spent)
    shutil.rmtree(scratch, ignore_errors=True)
    bare_s, plain_s, verified_s = (statistics.median(t) for t in timings)
    bare_c, plain_c, verified_c = (statistics.median(t) for t in cpu)
    print(
        f"\n{folder}, medians of {runs} interleaved runs (load {os.getloadavg()[0]:.1f}):"
        f"\n  wall time: bare parse+render {bare_s:.2f} s; --no-verify {plain_s:.2f} s"
        f" ({plain_s / bare_s:.2f}x); verified {verified_s:.2f} s ({verified_s / bare_s:.2f}x,"
        f" target <= {TARGET_RATIO:.0f}x)"
        f"\n  CPU time, child processes included: bare {bare_c:.2f} s; --no-verify"
        f" {plain_c:.2f} s ({plain_c / bare_c:.2f}x); verified {verified_c:.2f} s"
        f" ({verified_c / bare_c:.2f}x)"
        f"\n  the verification's own wall time after the conversion"
        f" {statistics.median(verification):.2f} s ("
        + ", ".join(f"{step} {statistics.median(t):.2f} s" for step, t in steps.items())
        + ")"
    )


def cpu_with_children() -> float:
    """CPU seconds of this process and of its waited-for children (ruff, the verification's)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(runs: int = 5) -> int:
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
    whole_runs("legacy_examples/flask_shop", "legacy_examples.flask_shop", runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
