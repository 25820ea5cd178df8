"""The new side of shadow mode: the migrated app answering a mirrored request, and that answer
compared with legacy's, with the noise learnt so far on the route.

`InlineNewSide` does it in the front's own process (tests; `[shadow] isolation = "inline"`).
`proxy.shadow_process.ProcessNewSide` hands the same work to a child process of the worker that
runs `InlineNewSide` at idle CPU priority, so the migrated handler and the comparison never
take CPU the front's clients need. That child has the legacy app too: on the noise sample it
asks legacy the second time itself (`Mirrored.ask_legacy_again`), not the worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.types import ASGIApp

from proxy.diff import Exchange, IgnoreRules, NoiseSet, Response, compare, measure_noise
from proxy.parity.cases import ParityRequest
from proxy.shadow_call import Connection, answer_within, call_app

MAX_KEPT_TEXTS = 11


@dataclass(frozen=True)
class Mirrored:
    """One mirrored request, as the new side needs it to answer and compare."""

    route: str
    rules: tuple[tuple[str, ...], tuple[str, ...]]
    """The route's ignore rules: (JSON/rows path patterns, header names)."""
    request: ParityRequest
    connection: Connection
    legacy: Response
    legacy_again: Response | None = None
    """Legacy's second answer, on the noise sample, when the worker asked for it."""
    ask_legacy_again: bool = False
    """The noise sample, legacy asked a second time by the new side itself (`asks_legacy`)."""

    def to_wire(self) -> tuple[Any, ...]:
        """Plain tuples, str and bytes: what the front's loop pickles for the child, several
        times faster than the dataclasses themselves (`from_wire` builds them back)."""
        request, connection, legacy, again = (
            self.request, self.connection, self.legacy, self.legacy_again,
        )  # fmt: skip
        return (
            self.route,
            self.rules,
            (request.method, request.target, request.headers, request.body),
            (connection.scheme, connection.http_version, connection.server, connection.client,
             connection.root_path),
            (legacy.status, legacy.headers, legacy.body),
            None if again is None else (again.status, again.headers, again.body),
            self.ask_legacy_again,
        )  # fmt: skip

    @classmethod
    def from_wire(cls, wire: tuple[Any, ...]) -> Mirrored:
        route, rules, request, connection, legacy, again, ask_again = wire
        return cls(
            route, rules, ParityRequest(*request), Connection(*connection), Response(*legacy),
            None if again is None else Response(*again), ask_again,
        )  # fmt: skip


@dataclass(frozen=True)
class ShadowResult:
    status: int
    """The new side's status."""
    seconds: float
    """How long the new side took."""
    differed: bool
    noise: bool
    """Differences were found, all of them where legacy disagrees with itself."""
    differences: tuple[str, ...] = ()
    """The first real differences, as a person reads them (`$.name: "pen" != "PEN"`)."""
    difference_count: int = 0
    noise_learnt: bool = False
    no_legacy: bool = False
    """Asked to ask legacy again, the new side had no legacy app to ask (a child that could not
    load it): the worker asks legacy itself from then on."""

    def to_wire(self) -> tuple[Any, ...]:
        return (
            self.status, self.seconds, self.differed, self.noise, self.differences,
            self.difference_count, self.noise_learnt, self.no_legacy,
        )  # fmt: skip

    @classmethod
    def from_wire(cls, wire: tuple[Any, ...]) -> ShadowResult:
        return cls(*wire)


class NewSide(Protocol):
    asks_legacy: bool
    """Whether it asks legacy the second time itself on the noise sample (`ask_legacy_again`)."""

    async def start(self) -> None: ...

    async def answer(self, mirrored: Mirrored) -> ShadowResult:
        """Raises when the new side cannot answer (counted as failed)."""

    async def close(self) -> None: ...


def origins_of(request: ParityRequest, connection: Connection) -> tuple[str, ...]:
    host = next((v for k, v in request.headers if k.lower() == "host"), None)
    if host is None and connection.server is not None:
        host = f"{connection.server[0]}:{connection.server[1]}"
    return (f"{connection.scheme}://{host or 'localhost'}",)


class InlineNewSide:
    def __init__(
        self, app: ASGIApp, legacy_app: ASGIApp | None = None, legacy_timeout: float = 1.25
    ) -> None:
        """`legacy_app`: legacy, to ask again on the noise sample (in the shadow's child), each
        time for at most `legacy_timeout` seconds."""
        self.app = app
        self.legacy_app = legacy_app
        self.legacy_timeout = legacy_timeout
        self.asks_legacy = legacy_app is not None
        self.noise: dict[str, NoiseSet] = {}
        self._rules: dict[tuple[tuple[str, ...], tuple[str, ...]], IgnoreRules] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def rules(self, rules: tuple[tuple[str, ...], tuple[str, ...]]) -> IgnoreRules:
        found = self._rules.get(rules)
        if found is None:
            found = self._rules[rules] = IgnoreRules(*rules)
        return found

    async def answer(self, mirrored: Mirrored) -> ShadowResult:
        again = mirrored.legacy_again
        asked_in_vain = mirrored.ask_legacy_again and again is None and self.legacy_app is None
        if mirrored.ask_legacy_again and again is None and self.legacy_app is not None:
            again = await answer_within(
                self.legacy_app, mirrored.request, mirrored.connection, self.legacy_timeout,
                mirrored.route,
            )  # fmt: skip
        started = time.perf_counter()
        answer = await call_app(self.app, mirrored.request, mirrored.connection)
        seconds = time.perf_counter() - started
        origins = origins_of(mirrored.request, mirrored.connection)
        legacy = Exchange(mirrored.legacy)
        noise = self.noise.setdefault(mirrored.route, NoiseSet())
        learnt = False
        # A second answer with another status is an overloaded or failing legacy, not noise.
        if again is not None and again.status == mirrored.legacy.status:
            noise.update(measure_noise(legacy, Exchange(again), origins=origins))
            learnt = True
        comparison = compare(
            legacy, Exchange(answer), rules=self.rules(mirrored.rules), noise=noise,
            origins=origins,
        )  # fmt: skip
        real = comparison.real
        return ShadowResult(
            status=answer.status,
            seconds=seconds,
            differed=bool(real),
            noise=bool(comparison.noise) and not real,
            differences=tuple(str(d)[:300] for d in real[:MAX_KEPT_TEXTS]),
            difference_count=len(real),
            noise_learnt=learnt,
            no_legacy=asked_in_vain,
        )
