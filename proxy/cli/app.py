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


class _StranglerGroup(typer.core.TyperGroup):
    """Usage errors of every command (a missing option, a bad value, an unknown command) start
    with `strangler:` like the commands' own errors, instead of typer's framed panel."""

    def invoke(self, ctx: Any) -> Any:
        from typer._click.exceptions import UsageError  # the click typer runs on (vendored)

        try:
            return super().invoke(ctx)
        except UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError" or error.ctx is None:
                raise
            typer.echo(f"strangler: {error.format_message()}", err=True)
            typer.echo(f"Try '{error.ctx.command_path} --help' for help.", err=True)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=_StranglerGroup,
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
