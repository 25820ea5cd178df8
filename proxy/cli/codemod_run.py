"""The body of `strangler codemod flask|django`, without typer: the typer commands
(`proxy/cli/codemod.py`) and the plain command line (`codemod_argv.py`) both call it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemods.engine.framework import Framework

BAD_ARGUMENTS = 2  # the exit code


class BadArguments(Exception):
    """SRC or --out cannot be used (the message is printed already)."""


def convert_flask(
    src: str,
    out: Path,
    only: str | None = None,
    dry_run: bool = False,
    report: Path | None = None,
    force: bool = False,
    no_verify: bool = False,
    legacy_app: str | None = None,
    new_app: str | None = None,
) -> None:
    from codemods.flask.framework import FLASK

    convert(FLASK, src, out, only, dry_run, report, force, no_verify, (legacy_app, new_app))


def convert_django(
    src: str,
    out: Path,
    only: str | None = None,
    dry_run: bool = False,
    report: Path | None = None,
    force: bool = False,
    no_verify: bool = False,
    settings: str | None = None,
) -> None:
    from codemods.django.framework import with_settings

    convert(with_settings(settings), src, out, only, dry_run, report, force, no_verify)


def convert(
    framework: Framework,
    src: str,
    out: Path,
    only: str | None,
    dry_run: bool,
    report: Path | None,
    force: bool,
    no_verify: bool,
    apps: tuple[str | None, str | None] = (None, None),
) -> None:
    """Run `framework`'s rules over SRC into `out`, verify, print the summary, write the report;
    on bad arguments, print why and raise BadArguments."""
    from rich.console import Console
    from rich.progress import Progress

    from codemods.engine.registry import UnknownRule
    from codemods.engine.report import print_summary, write_json
    from codemods.engine.route_conditions import settle as settle_conditions
    from codemods.engine.route_translation import settle as settle_translations
    from codemods.engine.runner import BadTarget, dotted_package, resolve_target, run

    errors = Console(stderr=True)

    def bad(message: str) -> BadArguments:
        errors.print(f"[red]error:[/] {message}")
        return BadArguments(message)

    try:
        target = resolve_target(src)
        rules = framework.registry.select(only.split(",") if only is not None else None)
    except (BadTarget, UnknownRule) as error:
        raise bad(str(error)) from None
    source_root = target.root.resolve()
    destination = out.resolve()
    if destination == source_root or source_root in destination.parents:
        raise bad(f"--out {out} is inside the legacy tree {target.root}: it is never written to")
    if destination.exists() and not destination.is_dir():
        raise bad(f"--out {out} is not a folder")

    verifying = None
    if not (no_verify or dry_run) and framework.verifier is not None:
        from codemods.engine.verify.check import start

        package = dotted_package(target.root) or target.root.resolve().name
        verifying = start(
            target.root, package, framework.verifier, *apps, env=dict(framework.verifier_env)
        )
    try:
        with Progress(console=errors, transient=True) as progress:
            task = progress.add_task("converting", total=len(target.files))
            result = run(
                target,
                out,
                rules,
                framework=framework,
                dry_run=dry_run,
                force=force,
                on_file=lambda _: progress.advance(task),
            )
        unparsed = [f.reason for f in result.files if f.reason.startswith("does not parse")]
        if unparsed and Path(src.partition("::")[0]).is_file():
            raise bad(f"{target.files[0]} {unparsed[0]}")
    except BaseException:
        if verifying is not None:
            from codemods.engine.verify.check import cancel

            cancel(verifying)
        raise
    if verifying is not None:
        from codemods.engine.route_coverage import check_routes
        from codemods.engine.verify.check import verify_run

        with errors.status("verifying the output"):
            verification = verify_run(result, out, verifying)
        result.route_coverage = check_routes(
            verification.url_map, result.findings, target.root, verifying.legacy_package
        )
    url_map = verification.url_map if verifying is not None else None
    settle_translations(result.findings, url_map)
    settle_conditions(result.findings, url_map)
    console = Console()
    for diff in result.diffs:
        console.out(diff, end="", highlight=False)
    print_summary(result, errors if dry_run else console)
    if report is not None:
        write_json(result, report)
