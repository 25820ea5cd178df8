"""`strangler codemod flask|django SRC --out DEST`: generate FastAPI modules from a legacy app.

Both commands share one body (`convert`); they differ only in the framework they pass.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from proxy.cli.app import app

if TYPE_CHECKING:
    from codemods.engine.framework import Framework

codemod_app = typer.Typer(
    name="codemod",
    help="Generate FastAPI code from a legacy app; the legacy tree is never written to.",
    no_args_is_help=True,
)
app.add_typer(codemod_app, name="codemod")

BAD_ARGUMENTS = 2

Out = Annotated[Path, typer.Option("--out", help="Folder the new modules are written under.")]
Only = Annotated[str | None, typer.Option("--only", help="Comma-separated rule names to run.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print unified diffs; write nothing.")]
ReportFile = Annotated[
    Path | None, typer.Option("--report", help="Write a JSON report to this file.")
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite generated files a person edited.")]
NoVerify = Annotated[
    bool,
    typer.Option("--no-verify", help="Skip checking the output (every entry: verified null)."),
]


@codemod_app.command("flask")
def flask(
    src: Annotated[str, typer.Argument(help="A package folder, a module, or module.py::view.")],
    out: Out,
    only: Only = None,
    dry_run: DryRun = False,
    report: ReportFile = None,
    force: Force = False,
    no_verify: NoVerify = False,
    legacy_app: Annotated[
        str | None,
        typer.Option(
            "--app",
            help="Where verification finds the legacy app, as `flask --app` takes it "
            "(module:name, module:create_app(args), path/to/file.py:name; default: $FLASK_APP, "
            "else the package's create_app() or app).",
        ),
    ] = None,
    new_app: Annotated[
        str | None,
        typer.Option(
            "--new-app",
            help="Where verification finds the generated app, in the same form (default: at "
            "the twin of the legacy app's place, else the generated routers in a bare app).",
        ),
    ] = None,
) -> None:
    """Flask views, blueprints, forms and models -> FastAPI routers and Pydantic schemas."""
    with long_lived_imports("codemods.flask.framework"):
        from codemods.flask.framework import FLASK

    apps = (legacy_app, new_app)
    convert(FLASK, src, out, only, dry_run, report, force, no_verify, apps)


@codemod_app.command("django")
def django(
    src: Annotated[str, typer.Argument(help="A Django project or app folder.")],
    out: Out,
    only: Only = None,
    dry_run: DryRun = False,
    report: ReportFile = None,
    force: Force = False,
    no_verify: NoVerify = False,
    settings: Annotated[
        str | None,
        typer.Option(
            "--settings",
            help="The project's settings module (default: DJANGO_SETTINGS_MODULE, else the one "
            "manage.py or wsgi.py names).",
        ),
    ] = None,
) -> None:
    """Django URLconfs and function views -> FastAPI routers on the Django runtime."""
    with long_lived_imports("codemods.django.framework"):
        from codemods.django.framework import with_settings

    convert(with_settings(settings), src, out, only, dry_run, report, force, no_verify)


def long_lived_imports(module: str) -> AbstractContextManager[None]:
    """The codemod's own imports, kept out of the garbage collector's passes (collector.py); in
    a process that imported `module` already (a test calling the command), nothing is done."""
    if module in sys.modules:
        return nullcontext()
    from codemods.engine.collector import long_lived

    return long_lived()


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
    exit 2 on bad arguments."""
    from rich.console import Console
    from rich.progress import Progress

    from codemods.engine.registry import UnknownRule
    from codemods.engine.report import print_summary, write_json
    from codemods.engine.route_conditions import settle as settle_conditions
    from codemods.engine.route_translation import settle as settle_translations
    from codemods.engine.runner import BadTarget, dotted_package, resolve_target, run

    errors = Console(stderr=True)

    def bad(message: str) -> typer.Exit:
        errors.print(f"[red]error:[/] {message}")
        return typer.Exit(BAD_ARGUMENTS)

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
