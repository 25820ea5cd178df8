"""`strangler codemod flask|django SRC --out DEST`: generate FastAPI modules from a legacy app.

Both commands share one body (`codemod_run.convert`); they differ only in the framework they
pass. A plain command line runs it without typer (`codemod_argv.py`): keep both in step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from proxy.cli.codemod_run import BAD_ARGUMENTS, BadArguments, convert_django, convert_flask
from proxy.cli.typer_app import app

codemod_app = typer.Typer(
    name="codemod",
    help="Generate FastAPI code from a legacy app; the legacy tree is never written to.",
    no_args_is_help=True,
)
app.add_typer(codemod_app, name="codemod")

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
    with _exit_on_bad_arguments():
        convert_flask(src, out, only, dry_run, report, force, no_verify, legacy_app, new_app)


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
    with _exit_on_bad_arguments():
        convert_django(src, out, only, dry_run, report, force, no_verify, settings)


@contextmanager
def _exit_on_bad_arguments() -> Iterator[None]:
    try:
        yield
    except BadArguments:
        raise typer.Exit(BAD_ARGUMENTS) from None
