"""Everything a parity run needs, built from the config and the command-line options.

Used by `strangler parity` and by the pytest plugin alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from proxy.parity.cases import ParityCase, cases_for_routes, load_case_file
from proxy.parity.config import ConfigError, ParityConfig, Phase, Route
from proxy.parity.runner import ParityRun, ParityRunner, Progress
from proxy.parity.sides import AsgiSide, HttpxSide, Side
from proxy.parity.state import DatabaseState, SqliteState


class UsageError(ValueError):
    """The options or the config cannot make a run (exit code 2)."""


FRONT_OPENAPI = "/_strangler/openapi.json"  # where a strangler front serves the migrated OpenAPI


@dataclass
class RunOptions:
    routes: Sequence[str] = ()
    max_examples: int | None = None
    seed: int | None = None
    legacy_url: str | None = None
    new_url: str | None = None
    admin_token: str | None = None
    """With --new-url at a running strangler front: a viewer token, to read the migrated app's
    OpenAPI where the front serves it (FRONT_OPENAPI)."""
    phases: Sequence[Phase] | None = None
    extra_cases: Sequence[ParityCase] = field(default_factory=list)
    case_files: Sequence[Path] = ()
    """`--cases FILE`: replay these recorded requests, instead of generating cases."""


def selected_routes(config: ParityConfig, wanted: Sequence[str]) -> list[Route]:
    routes = config.migrated_routes()
    retired = config.retired_routes()
    for path in wanted:
        if any(r.path == path for r in retired) and not any(r.path == path for r in routes):
            raise UsageError(
                f"--route {path}: the route is retired (the front answers it 404): "
                "nothing to compare"
            )
    if not routes:
        raise UsageError(
            "the config lists no migrated route ([[routes]] whose live mode, the state store's"
            " or else the file's, is neither legacy nor retired)"
        )
    if not wanted:
        return routes
    chosen: list[Route] = []
    for path in wanted:
        matching = [r for r in routes if r.path == path] or [
            r for r in routes if r.matches_path(path)
        ]
        if not matching:
            known = ", ".join(sorted({r.path for r in routes}))
            raise UsageError(f"--route {path}: not a migrated route (migrated: {known})")
        chosen.extend(r for r in matching if r not in chosen)
    return chosen


@dataclass
class ParitySession:
    config: ParityConfig
    options: RunOptions = field(default_factory=RunOptions)

    def __post_init__(self) -> None:
        if bool(self.options.legacy_url) != bool(self.options.new_url):
            raise UsageError("--legacy-url and --new-url go together")
        if self.options.max_examples is not None and self.options.max_examples < 1:
            raise UsageError("--max-examples must be at least 1")
        self.routes = selected_routes(self.config, self.options.routes)
        self.skipped_retired = (
            [f"{' '.join(r.methods)} {r.path}" for r in self.config.retired_routes()]
            if not self.options.routes
            else []
        )
        self.live_mode_notes = self.config.live_mode_notes()
        self.not_routed = 0
        self.not_replayed = 0

    @property
    def over_http(self) -> bool:
        return bool(self.options.legacy_url)

    @property
    def seed(self) -> int | None:
        return self.options.seed if self.options.seed is not None else self.config.parity.seed

    def sides(self) -> tuple[Side, Side]:
        if self.options.legacy_url and self.options.new_url:
            return (
                HttpxSide.over_http("legacy", self.options.legacy_url),
                HttpxSide.over_http("new", self.options.new_url),
            )
        from proxy.parity.bridge import legacy_asgi_app

        for name, value in self.config.parity.env.items():
            os.environ[name] = value
        # Like gunicorn and uvicorn: app references resolve from the working directory (and from
        # the config's directory).
        for directory in (str(self.config.base_dir), os.getcwd()):
            if directory not in sys.path:
                sys.path.insert(0, directory)
        if not self.config.legacy.app or not self.config.migrated.app:
            raise UsageError(
                "in-process parity needs [legacy] app and [migrated] app in the config "
                "(or --legacy-url and --new-url)"
            )
        from proxy.loading import AppLoadError, load_legacy_app, load_migrated_app

        try:
            legacy_app = load_legacy_app(self.config.legacy.app)
            new_app = load_migrated_app(self.config.migrated.app)
        except AppLoadError as error:
            raise UsageError(str(error)) from None
        bridge = legacy_asgi_app(legacy_app)
        return (
            AsgiSide("legacy", bridge, on_close=bridge.close),
            AsgiSide("new", new_app),
        )

    def state(self) -> DatabaseState | None:
        database = self.config.parity.database
        if database is None:
            return None
        try:
            url = database.resolved_url()
            if url.startswith("postgres"):
                from proxy.parity.postgres_state import PostgresTemplateState

                return PostgresTemplateState(url)
            return SqliteState(self.config.resolve(database.sqlite_path))
        except (ConfigError, FileNotFoundError, ValueError) as error:
            raise UsageError(str(error)) from None

    async def openapi(self, new: Side) -> dict[str, Any]:
        from proxy.parity.cases import ParityRequest

        token = self.options.admin_token
        if token:
            where = FRONT_OPENAPI
            request = ParityRequest("GET", where, (("authorization", f"Bearer {token}"),))
        else:
            where = self.config.parity.openapi
            request = ParityRequest("GET", where)
        response = await new.send(request)
        if response.status != 200:
            hint = ""
            if response.status == 404 and not token and self.options.new_url:
                hint = (
                    "; is --new-url a strangler front? It serves the migrated app's OpenAPI at "
                    f"{FRONT_OPENAPI}: give a viewer token with --admin-token or "
                    "$STRANGLER_ADMIN_TOKEN"
                )
            elif response.status in (401, 403):
                hint = "; the admin token is not a viewer token of that front"
            raise UsageError(
                f"the new side answered {response.status} for its OpenAPI document at {where}"
                + hint
            )
        document: dict[str, Any] = json.loads(response.body)
        return document

    def file_cases(self) -> Iterator[ParityCase]:
        for path in self.config.parity.recorded:
            yield from cases_for_routes(
                load_case_file(self.config.resolve(path), "recorded"), self.routes, "recorded"
            )
        for path in self.config.parity.cases:
            yield from cases_for_routes(
                load_case_file(self.config.resolve(path), "hand-written"),
                self.routes,
                "hand-written",
            )

    def replayed_cases(self) -> list[ParityCase]:
        """The requests of the `--cases` files that reach a selected migrated route; the others
        (legacy answers them) are counted in `not_replayed`."""
        found: list[ParityCase] = []
        read = 0
        for path in self.options.case_files:
            requests = load_case_file(path, "recorded")
            read += len(requests)
            found.extend(cases_for_routes(requests, self.routes, "recorded"))
        self.not_replayed = read - len(found)
        if not found:
            files = ", ".join(str(path) for path in self.options.case_files)
            raise UsageError(
                f"--cases {files}: none of its {read} request(s) reaches a migrated route"
                " (legacy answers them): nothing to compare"
            )
        return found

    async def cases(self, new: Side) -> list[ParityCase]:
        from proxy.parity.generate import InvalidOpenAPI, generate_cases

        if self.options.case_files:
            return self.replayed_cases()
        settings = self.config.parity
        phases = self.options.phases if self.options.phases is not None else settings.phases
        found: list[ParityCase] = []
        if phases:
            openapi = await self.openapi(new)
            try:
                found.extend(
                    generate_cases(
                        openapi,
                        self.routes,
                        phases=phases,
                        max_examples=self.options.max_examples or settings.max_examples,
                        seed=self.seed,
                        negative=settings.negative,
                    )
                )
            except InvalidOpenAPI as error:
                raise UsageError(str(error)) from None
        found.extend(self.file_cases())
        found.extend(c for c in self.options.extra_cases if c.route in self.routes)
        # A generated path the route's template does not match (`abc` for `{id:int}`) is sent to
        # legacy by the front: there is nothing to compare.
        routed = [c for c in found if c.route.matches_path(c.request.path)]
        self.not_routed = len(found) - len(routed)
        return routed

    async def check_reachable(self) -> None:
        """Over HTTP, each side must answer something (any status) before the run starts."""
        for option, url in (("--legacy-url", self.options.legacy_url),
                            ("--new-url", self.options.new_url)):  # fmt: skip
            if not url:
                continue
            try:
                async with httpx.AsyncClient(timeout=10.0) as client:
                    await client.get(url)
            except httpx.InvalidURL as error:
                raise UsageError(f"{option} {url}: not a URL ({error})") from None
            except httpx.TransportError as error:
                reason = str(error) or type(error).__name__
                raise UsageError(f"{option}: cannot reach {url} ({reason})") from None

    async def run_async(
        self, progress: Progress | None = None, *, on_cases: Any = None
    ) -> ParityRun:
        await self.check_reachable()
        legacy, new = self.sides()
        try:
            cases = await self.cases(new)
            if on_cases is not None:
                on_cases(cases)
            runner = ParityRunner(self.config, legacy, new, self.state())
            run = await runner.run(cases, progress)
            run.seed = self.seed
            run.not_routed = self.not_routed
            run.skipped_retired = self.skipped_retired
            run.live_mode_notes = self.live_mode_notes
            if not self.over_http:  # curl reproductions name real servers, not the in-process one
                run.legacy_base = self.config.parity.curl.legacy
                run.new_base = self.config.parity.curl.new
            return run
        finally:
            await legacy.aclose()
            await new.aclose()

    def run(self, progress: Progress | None = None, *, on_cases: Any = None) -> ParityRun:
        return asyncio.run(self.run_async(progress, on_cases=on_cases))
