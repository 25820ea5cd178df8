"""The parity run: every case, as every identity, sent to legacy twice and to the new side once,
each call from the same database state; then every pair compared under the route's rules and
the noise measured on that route."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

from proxy.diff import Comparison, Exchange, IgnoreRules, NoiseSet, Response, compare, measure_noise
from proxy.parity.app_errors import AppErrors
from proxy.parity.cases import ParityCase, ParityRequest, request_from_record
from proxy.parity.config import ParityConfig, User
from proxy.parity.sides import Side
from proxy.parity.state import DatabaseState


@dataclass(frozen=True)
class Identity:
    name: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


ANONYMOUS = Identity("anonymous")


class LoginFailed(RuntimeError):
    pass


BOTH_FAILED = "both failed"
FAILING_VERDICTS = ("differing", "error", BOTH_FAILED)


@dataclass
class CaseOutcome:
    case: ParityCase
    identity: str
    request: ParityRequest
    legacy: Exchange | None = None
    legacy_again: Exchange | None = None
    new: Exchange | None = None
    error: str | None = None
    comparison: Comparison = field(default_factory=Comparison)

    @property
    def both_failed(self) -> bool:
        """Both sides answered 5xx: they agree, and neither is right."""
        return (
            self.legacy is not None
            and self.new is not None
            and self.legacy.response.status >= 500
            and self.new.response.status >= 500
        )

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        if self.both_failed:
            return BOTH_FAILED
        if self.comparison.real:
            return "differing"
        if self.comparison.noise:
            return "noise"
        return "equal"


@dataclass
class RouteSummary:
    route: str
    cases: int = 0
    equal: int = 0
    differing: int = 0
    noise: int = 0
    errors: int = 0
    both_failed: int = 0
    noisy_paths: list[str] = field(default_factory=list)


@dataclass
class ParityRun:
    outcomes: list[CaseOutcome]
    noise: dict[str, NoiseSet]
    legacy_base: str
    new_base: str
    seed: int | None
    rows_compared: bool
    identities: list[str]
    not_routed: int = 0
    """Generated requests the front would send to legacy (the route's template does not match)."""
    app_errors: AppErrors = field(default_factory=AppErrors)
    """What the apps logged to stderr while the cases ran, per route."""
    skipped_retired: list[str] = field(default_factory=list)
    """Routes not compared because they are `retired` (the front answers them 404)."""
    live_mode_notes: list[str] = field(default_factory=list)
    """Routes whose live mode (the state store's, which parity used) is not strangler.toml's."""

    @property
    def differing(self) -> list[CaseOutcome]:
        """Every case that is not a pass: a real difference, a side that could not answer, or
        both sides failing with 5xx."""
        return [o for o in self.outcomes if o.verdict in FAILING_VERDICTS]

    @property
    def exit_code(self) -> int:
        return 1 if self.differing else 0

    def summaries(self) -> list[RouteSummary]:
        by_route: dict[str, RouteSummary] = {}
        for outcome in self.outcomes:
            key = route_key(outcome.case)
            summary = by_route.setdefault(
                key, RouteSummary(key, noisy_paths=self.noise.get(key, NoiseSet()).sorted_text())
            )
            summary.cases += 1
            verdict = outcome.verdict
            if verdict == "equal":
                summary.equal += 1
            elif verdict == "noise":
                summary.noise += 1
            elif verdict == "differing":
                summary.differing += 1
            elif verdict == BOTH_FAILED:
                summary.both_failed += 1
            else:
                summary.errors += 1
        return list(by_route.values())


def route_key(case: ParityCase) -> str:
    return f"{' '.join(case.route.methods)} {case.route.path}"


Progress = Callable[[CaseOutcome], None]


class ParityRunner:
    def __init__(
        self,
        config: ParityConfig,
        legacy: Side,
        new: Side,
        state: DatabaseState | None,
    ) -> None:
        self.config = config
        self.legacy = legacy
        self.new = new
        self.state = state
        self.app_errors = AppErrors()

    async def identities(self) -> list[Identity]:
        """Anonymous (unless turned off) and each configured user, logged in on the legacy side.

        Logins happen before the state checkpoint, so any row a login writes is part of the state
        every case starts from."""
        found = [ANONYMOUS] if self.config.parity.anonymous else []
        for user in self.config.parity.users:
            found.append(await self._login(user))
        if self.state is not None:
            self.state.checkpoint()
        return found

    async def _login(self, user: User) -> Identity:
        cookies = dict(user.cookies)
        login = user.login
        if login is not None:
            form = dict(login.form or {})
            if login.csrf_page:
                page = await self.legacy.send(
                    ParityRequest("GET", login.csrf_page).with_identity(user.headers, cookies)
                )
                if page.status >= 400:
                    raise LoginFailed(
                        f"login of {user.name!r}: {login.csrf_page} answered {page.status}"
                    )
                cookies.update(_set_cookies(page))
                token = hidden_input(page.body.decode("utf-8", "replace"), login.csrf_field)
                if token is None:
                    raise LoginFailed(
                        f"login of {user.name!r}: "
                        f"no {login.csrf_field!r} field on {login.csrf_page}"
                    )
                form[login.csrf_field] = token
            record: dict[str, object] = {"method": login.method, "path": login.path}
            if login.json_body is not None:
                record["json"] = login.json_body
            if form:
                record["form"] = form
            request = request_from_record(record).with_identity(user.headers, cookies)
            response = await self.legacy.send(request)
            expected = login.expect_status
            if (expected and response.status not in expected) or (
                not expected and response.status >= 400
            ):
                raise LoginFailed(
                    f"login of {user.name!r} at {login.path} answered {response.status}"
                )
            cookies.update(_set_cookies(response))
            if not cookies and not user.headers:
                raise LoginFailed(f"login of {user.name!r} set no cookie")
        return Identity(user.name, dict(user.headers), cookies)

    async def _call(self, side: Side, request: ParityRequest) -> Exchange:
        if self.state is not None:
            self.state.reset()
        response = await side.send(request)
        rows = self.state.changes() if self.state is not None else None
        return Exchange(response, rows)

    async def run_case(self, case: ParityCase, identity: Identity) -> CaseOutcome:
        request = case.request.with_identity(identity.headers, identity.cookies)
        outcome = CaseOutcome(case, identity.name, request)
        with self.app_errors.capture(route_key(case)):
            try:
                outcome.legacy = await self._call(self.legacy, request)
                outcome.legacy_again = await self._call(self.legacy, request)
                outcome.new = await self._call(self.new, request)
            except Exception as error:  # a side that cannot answer is a finding, not a crash
                outcome.error = f"{type(error).__name__}: {error}"
        return outcome

    async def run(self, cases: Sequence[ParityCase], progress: Progress | None = None) -> ParityRun:
        identities = await self.identities()
        outcomes: list[CaseOutcome] = []
        noise: dict[str, NoiseSet] = defaultdict(NoiseSet)
        origins = (self.legacy.base_url, self.new.base_url)
        try:
            for case in cases:
                for identity in identities:
                    outcome = await self.run_case(case, identity)
                    if outcome.legacy and outcome.legacy_again:
                        noise[route_key(case)].update(
                            measure_noise(outcome.legacy, outcome.legacy_again, origins=origins)
                        )
                    outcomes.append(outcome)
                    if progress is not None:
                        progress(outcome)
        finally:
            if self.state is not None:
                self.state.close()
        global_rules = self.config.parity.rules()
        for outcome in outcomes:
            if outcome.legacy and outcome.new:
                outcome.comparison = compare(
                    outcome.legacy,
                    outcome.new,
                    rules=_rules(global_rules, outcome.case),
                    noise=noise[route_key(outcome.case)],
                    origins=origins,
                )
        return ParityRun(
            outcomes=outcomes,
            noise=dict(noise),
            legacy_base=self.legacy.base_url,
            new_base=self.new.base_url,
            seed=self.config.parity.seed,
            rows_compared=self.state is not None,
            identities=[i.name for i in identities],
            app_errors=self.app_errors,
        )


def _set_cookies(response: Response) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in response.header_values("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        found.update({name: morsel.value for name, morsel in jar.items()})
    return found


class _HiddenInput(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == self.name and self.value is None:
            self.value = values.get("value") or ""


def hidden_input(page: str, name: str) -> str | None:
    parser = _HiddenInput(name)
    parser.feed(page)
    return parser.value


def _rules(global_rules: IgnoreRules, case: ParityCase) -> IgnoreRules:
    return global_rules.merged(case.route.rules())
