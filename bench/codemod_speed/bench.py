"""Lines per second of `strangler codemod flask` against a bare libcst parse+render of the same
files. Corpus: legacy_examples/flask_shop plus a published Flask package fetched with pip into
bench/.work (not committed). Target: the codemod costs at most 3x a bare parse+render.

Both sides are measured in CPU time of this process (the machine is shared). Runs alternate, a bare
run then a codemod run over the same files, so both see the same machine load; the figures are
the medians of N runs of each.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import libcst

from codemods.engine.runner import is_test_module, transform_source
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


def cpu_seconds(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def median_cpu_seconds(
    first: Callable[[], object], second: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Median CPU time of each of two jobs, run alternately `runs` times (after one warm-up)."""
    first(), second()
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        timings[0].append(cpu_seconds(first))
        timings[1].append(cpu_seconds(second))
    return statistics.median(timings[0]), statistics.median(timings[1])


def main(runs: int = 5) -> int:
    print(f"{'corpus':42} {'files':>5} {'lines':>7} {'bare l/s':>10} {'codemod l/s':>12} ratio")
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

        def bare(sources: list[str] = sources) -> None:
            for text in sources:
                _ = libcst.parse_module(text).code

        def codemod(sources: list[str] = sources) -> None:
            for text in sources:
                transform_source(text, REGISTRY.rules)

        bare_seconds, codemod_seconds = median_cpu_seconds(bare, codemod, runs)
        ratio = codemod_seconds / bare_seconds
        worst = max(worst, ratio)
        print(
            f"{label:42} {len(sources):>5} {lines:>7} {lines / bare_seconds:>10.0f}"
            f" {lines / codemod_seconds:>12.0f} {ratio:5.2f}x"
        )
    verdict = "OK" if worst <= TARGET_RATIO else "OVER TARGET"
    print(f"worst ratio {worst:.2f}x (target <= {TARGET_RATIO:.0f}x, medians of {runs} runs): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
