"""The `strangler` Typer application; each command lives in its own module of this package."""

from typing import Annotated, Any

import typer
import typer.core

_display_type_rich = typer.core.TyperOption.display_type_rich


def _no_value_for_flags(self: typer.core.TyperOption, ctx: Any) -> str | None:
    """typer's rich help prints a type for every option, `<bool>` for flags that take no value
    (its plain help skips flags): show none for them, as click does."""
    if self.is_flag:
        return None
    return _display_type_rich(self, ctx)


typer.core.TyperOption.display_type_rich = _no_value_for_flags  # type: ignore[method-assign]

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
