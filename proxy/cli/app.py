"""The `strangler` Typer application; each command lives in its own module of this package."""

import typer

app = typer.Typer(
    name="strangler",
    help="Move a live Flask or Django app to FastAPI route by route.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
