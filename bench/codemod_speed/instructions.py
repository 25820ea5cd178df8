"""The workload `instructions.sh` counts under valgrind: one of the per-file rows of bench.py
(`strangler codemod flask` module by module, or `strangler codemod django` with its analysis of
the whole project), repeated, or the bare libcst parse+render of the same modules.

    python -m bench.codemod_speed.instructions flask|django FOLDER none|codemod|bare REPEATS

Each process first imports everything and runs both jobs once (the warm-up bench.py does too);
`none` stops there. The difference between a `codemod` (or `bare`) process and the `none` one,
divided by REPEATS, is one run's instructions, start-up excluded.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from bench.codemod_speed.bench import bare, codemod, convert_django, forget_runs
from codemods.engine.runner import is_test_module, resolve_target


def modules(folder: str) -> list[tuple[tuple[str, ...], str]]:
    target = resolve_target(folder)
    return [
        (path.relative_to(target.root).parts, path.read_text(encoding="utf-8"))
        for path in target.files
        if not is_test_module(path.relative_to(target.root))
    ]


def flask_job(folder: str) -> Callable[[], None]:
    texts = [text for _, text in modules(folder)]

    def run() -> None:
        forget_runs()
        for text in texts:
            codemod(text)

    return run


def django_job(folder: str) -> Callable[[], None]:
    from codemods.django.analysis import analyse
    from codemods.django.registry import REGISTRY
    from codemods.engine.parsed import shared_for_run
    from codemods.engine.runner import source_package
    from codemods.engine.state import ModuleState

    target = resolve_target(folder)
    package = source_package(target.root)
    found = modules(folder)

    def run() -> None:
        forget_runs()
        with shared_for_run():
            analysis = analyse(target)
            for parts, text in found:
                state = ModuleState(module_path=parts, source_package=package, analysis=analysis)
                convert_django(REGISTRY.rules, state, text)

    return run


def main(framework: str, folder: str, mode: str, repeats: int) -> int:
    texts = [text for _, text in modules(folder)]

    def bare_job() -> None:
        for text in texts:
            bare(text)

    codemod_job = (flask_job if framework == "flask" else django_job)(folder)
    codemod_job()
    bare_job()
    jobs = {"codemod": codemod_job, "bare": bare_job}
    if mode in jobs:
        for _ in range(repeats):
            jobs[mode]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
