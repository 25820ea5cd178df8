"""`strangler parity`: send generated, recorded and hand-written requests to the legacy and the
migrated side from the same state and report every real difference.

Routes are picked by their live mode (the state store's, as `strangler status` reads it).

Exit codes: 0 no real difference, 1 at least one, 2 bad arguments or config, 3 the state store
cannot be reached.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from proxy.cli.app import app


@app.command()
def parity(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="the route table: legacy and migrated apps, routes, parity settings"
            " (default: $STRANGLER_CONFIG or ./strangler.toml)",
        ),
    ] = None,
    route: Annotated[
        list[str] | None,
        typer.Option("--route", help="only this migrated route (its path); repeatable"),
    ] = None,
    max_examples: Annotated[
        int | None, typer.Option("--max-examples", help="fuzzing examples per operation", min=1)
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="seed of the generated cases")] = None,
    legacy_url: Annotated[
        str | None, typer.Option("--legacy-url", help="reach legacy over HTTP at this base URL")
    ] = None,
    new_url: Annotated[
        str | None,
        typer.Option("--new-url", help="reach the migrated app over HTTP at this base URL"),
    ] = None,
    admin_token: Annotated[
        str | None,
        typer.Option(
            "--admin-token",
            envvar="STRANGLER_ADMIN_TOKEN",
            help="with --new-url at a running strangler front: a viewer token, to read the "
            "migrated app's OpenAPI at /_strangler/openapi.json (prefer the variable)",
        ),
    ] = None,
    cases: Annotated[
        list[Path] | None,
        typer.Option(
            "--cases",
            help="replay the requests of this case file (e.g. recorded by shadow mode) instead of"
            " generating cases; repeatable",
        ),
    ] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="write JUnit XML here")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="write the HTML report here")] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="write the JSON report here")
    ] = None,
) -> None:
    """Compare legacy and migrated answers (and database writes) for the migrated routes."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from proxy.cli.operating import UNREACHABLE, unreachable
    from proxy.parity.cases import CaseFileError
    from proxy.parity.config import ConfigError, load_live_config
    from proxy.parity.reports import write_html, write_json, write_junit
    from proxy.parity.reports.console import print_report
    from proxy.parity.runner import LoginFailed
    from proxy.parity.session import ParitySession, RunOptions, UsageError
    from proxy.store import StoreUnreachable

    console = Console(stderr=False)
    if not console.is_terminal:  # CI logs: wide enough that tables are not cut
        console.width = max(console.width, 160)
    errors = Console(stderr=True)
    from proxy.settings import CONFIG_ENV_VAR, config_path

    config = config_path(config)
    if not config.exists():
        errors.print(
            f"strangler: {config}: cannot read the config file (no such file); give one with "
            f"--config FILE or ${CONFIG_ENV_VAR}",
            style="red", highlight=False, markup=False, soft_wrap=True,
        )  # fmt: skip
        raise typer.Exit(2)
    try:
        session = ParitySession(
            load_live_config(config),
            RunOptions(
                routes=route or (),
                max_examples=max_examples,
                seed=seed,
                legacy_url=legacy_url,
                new_url=new_url,
                admin_token=admin_token,
                case_files=cases or (),
            ),
        )
    except (ConfigError, UsageError) as error:
        errors.print(
            f"strangler: {error}", style="red", highlight=False, markup=False, soft_wrap=True
        )
        raise typer.Exit(2) from None
    except StoreUnreachable as error:
        errors.print(
            f"strangler: {unreachable(error, config)}",
            style="red", highlight=False, markup=False, soft_wrap=True,
        )  # fmt: skip
        raise typer.Exit(UNREACHABLE) from None

    with Progress(
        TextColumn("parity"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("generating cases", total=None)
        identities = max(1, len(session.config.parity.users) + int(session.config.parity.anonymous))

        def on_cases(cases: list[object]) -> None:
            progress.update(task, total=len(cases) * identities, description="")

        try:
            run = session.run(lambda outcome: progress.advance(task), on_cases=on_cases)
        except (UsageError, CaseFileError, LoginFailed) as error:
            errors.print(
                f"strangler: {error}", style="red", highlight=False, markup=False, soft_wrap=True
            )
            raise typer.Exit(2) from None

    print_report(run, console)
    if session.not_replayed:
        console.print(
            f"{session.not_replayed} replayed request(s) not compared: no migrated route matches"
            " them (legacy answers them)"
        )
    if junit:
        write_junit(run, junit)
    if html:
        write_html(run, html)
    if json_path:
        write_json(run, json_path)
    raise typer.Exit(run.exit_code)
