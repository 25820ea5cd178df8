"""`strangler codemod` on published apps, as a user runs it: each run a fresh process in the
app's own venv (the corpus cache's, tests/support/corpus.py), against a fresh process in the same
venv that imports libcst and parses and renders the same files.

The examples' rows (bench.py) convert some 1,300 lines, where a fresh process's fixed costs
(interpreter, imports, the verification's start) weigh most; these rows show a real app's size.
The verified run's CPU counts the child the warm verification server forked for it, which the
command prints (`its warm child: ... s of CPU`) and getrusage cannot see; its first run (a
warm-up) starts the server, as a user's first run does.

Usage: .venv/bin/python -m bench.codemod_speed.published [runs]   (run.sh runs it last)
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.codemod_speed.bench import ROOT, WARM_CHILD_CPU, print_ratios
from codemods.engine.runner import is_test_module
from tests.corpus.django_apps import SPIRIT
from tests.corpus.flask_apps import MONITORING_DASHBOARD
from tests.corpus.test_flask_corpus import verification_builds
from tests.support.corpus import App, Prepared, Unavailable, prepare

CLI = "import sys; from proxy.cli import main; sys.argv[0] = 'strangler'; main()"
BARE = """
import sys
import libcst
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as file:
        libcst.parse_module(file.read()).code
"""
APPS = ((MONITORING_DASHBOARD, "flask"), (SPIRIT, "django"))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def commands(prepared: Prepared, framework: str, out: Path) -> dict[str, list[str]]:
    app = prepared.app
    source = prepared.source
    files = [
        str(path)
        for path in sorted(source.rglob("*.py"))
        if not is_test_module(path.relative_to(source))
    ]
    strangler = ["-c", CLI, "codemod", framework, app.source, "--out", str(out)]
    if framework == "django":
        strangler += ["--settings", app.settings]
    builds = verification_builds(app, out) if framework == "flask" else []
    return {
        "bare parse+render process": ["-c", BARE, *files],
        "strangler codemod --no-verify": [*strangler, "--no-verify"],
        "strangler codemod (verified)": [*strangler, *builds],
    }


def app_rows(app: App, framework: str, runs: int) -> None:
    try:
        prepared = prepare(app)
    except Unavailable as error:
        print(f"\n{app.name} {app.version}: not available here ({error})")
        return
    scratch = Path(tempfile.mkdtemp(prefix="strangler-bench-published-"))
    out = scratch / "corpus_generated"
    runs_of = commands(prepared, framework, out)
    timings: dict[str, list[tuple[float, float]]] = {label: [] for label in runs_of}
    for index in range(runs + 1):  # the first round warms up (and starts the warm server)
        for label, argv in runs_of.items():
            shutil.rmtree(out, ignore_errors=True)
            started, spent = time.perf_counter(), children_cpu()
            result = prepared.run(argv, env=dict(app.verify_env), timeout=1800)
            if result.returncode != 0:
                raise SystemExit(f"{label} failed on {app.name}:\n{result.stderr[-2000:]}")
            took, spent = time.perf_counter() - started, children_cpu() - spent
            child = WARM_CHILD_CPU.search(result.stdout)
            if index:
                timings[label].append((took, spent + (float(child[1]) if child else 0.0)))
    shutil.rmtree(scratch, ignore_errors=True)
    files = len(runs_of["bare parse+render process"]) - 2
    lines = sum(
        Path(path).read_text(encoding="utf-8", errors="replace").count("\n") + 1
        for path in runs_of["bare parse+render process"][2:]
    )
    print(
        f"\n{app.name} {app.version} ({files} files, {lines} lines), the command in a fresh"
        f" process in the app's venv, medians of {runs} interleaved runs"
    )
    print_ratios(timings)


def main(runs: int = 3) -> int:
    # as pip leaves an installed package (the app's venv has its own compiled already)
    byte_compile = [sys.executable, "-m", "compileall", "-q", "codemods", "proxy"]
    subprocess.run(byte_compile, cwd=ROOT, capture_output=True, check=True)
    for app, framework in APPS:
        app_rows(app, framework, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
