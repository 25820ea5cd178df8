"""The `strangler` Typer application; each command lives in its own module of this package."""

from typing import Annotated

import typer

app = typer.Typer(
    name="strangler",
    help="Move a live Flask or Django app to FastAPI route by route.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version

        typer.echo(f"strangler {version('strangler')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
) -> None:
    """Move a live Flask or Django app to FastAPI route by route."""
