"""Shadow mode's engine: legacy answers the client; a copy of the request goes to the new side
in the background, and the two answers are compared with proxy.diff, the engine parity uses.

Per request (`answer`), on the client's path:
- whether to mirror: GET/HEAD/OPTIONS only, unless the route is `side_effect_free`; then
  `shadow_sample` of them;
- legacy answers through a `Capture`, which passes every message on first and copies it after:
  the client gets its answer exactly as without the shadow;
- the copy is offered to the bounded `ShadowQueue` (never waits, sheds when full), still
  unbuilt: the queue's worker task copies the request and legacy's answer when it takes it, in
  the worker's quiet moment.

In the background (the queue's worker task, in the worker's quiet moments; to the shadow's
child, each mirrored request is handed on with no task of its own, `_hand_on`):
- sampled requests are written, redacted, to the case file (`[shadow] record`);
- on a sample of safe requests (always for a route's first `noise_warmup` of them), legacy is
  asked a second time: where its two answers differ is noise, as Diffy measures it, and
  differences there are not counted. The shadow's child process asks it itself, with its own
  copy of the legacy app at idle priority (`NewSide.asks_legacy`); the inline new side, or a
  child that could not load legacy, leaves it to the worker's legacy threads;
- the new side answers the copy and compares the answers, under `[shadow] timeout`: in a child
  process at idle CPU priority (proxy/shadow_process.py, the default) or in this process
  (`[shadow] isolation = "inline"`), see proxy/shadow_side.py;
- the comparison is counted per route (compared / differed / dropped, and metrics), the latest
  differences are kept with a curl reproduction (credentials removed), and each result is
  handed to the rollback analysis (`on_compared`, `on_new_answer`).
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from proxy.cutover_metrics import CutoverMetrics
from proxy.diff import IgnoreRules, Response
from proxy.parity.cases import ParityRequest, request_from_record
from proxy.shadow_budget import ShadowBudget
from proxy.shadow_call import Connection, answer_within
from proxy.shadow_capture import Capture
from proxy.shadow_process import NewSideFailed, ProcessNewSide, ShadowProcessError
from proxy.shadow_queue import BusyGauge, Deferred, Settle, ShadowJob, ShadowQueue
from proxy.shadow_record import CaseRecorder, Redactor
from proxy.shadow_settings import ShadowSettings
from proxy.shadow_side import InlineNewSide, Mirrored, NewSide, ShadowResult, origins_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_SHOWN_DIFFERENCES = 10
log = structlog.get_logger("strangler.shadow")

CallLegacy = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class ShadowRoute:
    """What the shadow needs to know of a `[[routes]]` entry."""

    key: str
    """The route as the store names it: `GET,HEAD /api/products/{id}`."""
    side_effect_free: bool = False
    sample: float = 1.0
    rules: IgnoreRules = field(default_factory=IgnoreRules)


@dataclass
class RouteCounts:
    mirrored: int = 0
    compared: int = 0
    differed: int = 0
    dropped: int = 0
    failed: int = 0
    timeouts: int = 0
    noise_samples: int = 0
    recorded: int = 0
    unsafe_skipped: int = 0
    over_budget: int = 0
    """Not mirrored: the worker had no time to spare (`[shadow] budget`); also in `dropped`."""

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ShadowDifference:
    """One request whose answers differed, as the dashboard and `status` show it."""

    route: str
    at: float
    method: str
    target: str
    legacy_status: int
    new_status: int
    differences: tuple[str, ...]
    curl: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "at": self.at,
            "method": self.method,
            "target": self.target,
            "legacy_status": self.legacy_status,
            "new_status": self.new_status,
            "differences": list(self.differences),
            "curl": self.curl,
        }


def request_of(scope: Scope, body: bytes) -> ParityRequest:
    """The client's request as the shadow copies it; a chunked body, now whole, gets its
    Content-Length."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    target = raw_path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
    headers = []
    chunked = False
    for name, value in scope["headers"]:
        if name == b"transfer-encoding":
            chunked = True
            continue
        if name == b"content-length" and chunked:
            continue
        headers.append((name.decode("latin-1"), value.decode("latin-1")))
    if chunked:
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        headers.append(("content-length", str(len(body))))
    return ParityRequest(scope["method"], target, tuple(headers), body)


def _declares_body(scope: Scope) -> bool:
    return any(
        (name == b"content-length" and value.strip() not in (b"", b"0"))
        or name == b"transfer-encoding"
        for name, value in scope["headers"]
    )


class Shadow:
    def __init__(
        self,
        settings: ShadowSettings,
        *,
        legacy_app: ASGIApp,
        new_app: ASGIApp | None = None,
        new_side: NewSide | None = None,
        metrics: CutoverMetrics | None = None,
        busy: BusyGauge | None = None,
        recorder: CaseRecorder | None = None,
        on_compared: Callable[[str, bool], None] | None = None,
        on_new_answer: Callable[[str, int, float], None] | None = None,
        rng: random.Random | None = None,
        budget: ShadowBudget | None = None,
    ) -> None:
        """`budget`: the share of the worker's spare time the shadow may take (`[shadow] budget`,
        proxy/shadow_budget.py); without one, every sampled request is mirrored while the queue
        has room."""
        self.settings = settings
        self.budget = budget
        if new_side is None:
            assert new_app is not None, "give the new side or the migrated app"
            new_side = InlineNewSide(new_app)
        self.new_side = new_side
        self.legacy_app = legacy_app
        self.metrics = metrics
        self.recorder = recorder
        self.on_compared = on_compared
        self.on_new_answer = on_new_answer
        self.rng = rng or random.Random()
        self.redactor = recorder.redactor if recorder is not None else Redactor(settings.redact)
        self.counts: dict[str, RouteCounts] = {}
        self._drops = metrics.shadow_drops if metrics is not None else None
        self.latest: dict[str, deque[ShadowDifference]] = {}
        self._safe_seen: dict[str, int] = {}
        self.queue = ShadowQueue(
            self._send,
            max_pending=settings.max_pending,
            concurrency=settings.concurrency,
            timeout=settings.timeout,
            on_answer=self._compare,
            metrics=metrics,
            busy=busy,
            max_busy=settings.max_busy,
            on_drop=self._dropped,
            meter=budget.metered if budget is not None else None,
            on_done=budget.finish if budget is not None else None,
            hand_on=self._hand_on if isinstance(new_side, ProcessNewSide) else None,
            on_timeout=self._timed_out,
        )

    # -- life ------------------------------------------------------------------------------------

    async def start(self, *, new_side_now: bool = True) -> None:
        """Start the queue's worker tasks and, unless told to wait for the first mirrored
        request, the new side (the front's lifespan, on the worker's event loop)."""
        if new_side_now:
            await self.new_side.start()
        self.queue.start()

    async def close(self) -> None:
        await self.queue.close()
        await self.new_side.close()
        if self.recorder is not None:
            self.recorder.close()

    # -- the client's path -----------------------------------------------------------------------

    def route_counts(self, key: str) -> RouteCounts:
        counts = self.counts.get(key)
        if counts is None:
            counts = self.counts[key] = RouteCounts()
        return counts

    def mirrors(self, route: ShadowRoute, method: str) -> bool:
        """Whether this request is copied to the new side."""
        if method not in SAFE_METHODS and not route.side_effect_free:
            self.route_counts(route.key).unsafe_skipped += 1
            return False
        return route.sample >= 1.0 or self.rng.random() < route.sample

    def takes(self, route: ShadowRoute, method: str) -> bool:
        """Whether this request is mirrored, decided before anything else: a request that is not
        (not sampled, unsafe, the queue full, no time to spare) pays for this check and its count
        only, and legacy answers it as in `legacy` mode, with no capture or wrapper. On a busy
        worker most requests are not, so this is a few attribute reads and integer increments:
        the budget's `closed` flag before its clock, drops counted in plain ints."""
        if method not in SAFE_METHODS and not route.side_effect_free:
            self.route_counts(route.key).unsafe_skipped += 1
            return False
        sample = route.sample
        if sample < 1.0 and self.rng.random() >= sample:
            return False
        budget = self.budget
        if budget is not None and budget.closed:  # no time to spare, known since a refusal
            self._shed(route.key, "budget")
            return False
        queue = self.queue
        if queue.full():  # shed now: no capture, no copy, no job to build
            self._shed(route.key, "queue_full")
            return False
        if budget is not None and not budget.allows(queue.outstanding):  # no time to spare
            self._shed(route.key, "budget")
            return False
        return True

    def _shed(self, key: str, reason: str) -> None:
        """Count a request of route `key` not mirrored (`queue_full` or `budget`): the queue's
        and the route's counts, and the metric's (proxy/shadow_drops.py)."""
        self.queue.counts.dropped += 1
        counts = self.counts.get(key) or self.route_counts(key)
        counts.dropped += 1
        if reason == "budget":
            counts.over_budget += 1
        if self._drops is not None:
            self._drops.add(key, reason)

    async def answer(
        self, route: ShadowRoute, scope: Scope, receive: Receive, send: Send, legacy: CallLegacy
    ) -> None:
        """Legacy answers the client (through `legacy`); a copy is queued for the new side."""
        if not self.takes(route, scope["method"]):
            await legacy(scope, receive, send)
            return
        await self.answer_taken(route, scope, receive, send, legacy)

    async def answer_taken(
        self, route: ShadowRoute, scope: Scope, receive: Receive, send: Send, legacy: CallLegacy
    ) -> None:
        """`answer` for a request `takes` said is mirrored: legacy answers through the capture;
        then the copy is offered, to be built off the client's path (`mirror`)."""
        capture = Capture(receive, send, self.settings.max_body_bytes)
        await legacy(scope, capture.receive, capture.send)
        self.mirror(route, scope, capture)

    def mirror(self, route: ShadowRoute, scope: Scope, capture: Capture) -> None:
        """Queue the copy once legacy's answer is out. Synchronous: never blocks the client.
        Only the capture's flags are read here: the copy (the request, legacy's answer, the
        connection) is built by the queue's worker task when it takes it, in the worker's quiet
        moment and charged to the budget there (`Deferred`), not before the loop can take the
        client's next request."""
        if capture.too_large:
            self.drop_unbuilt(route.key, "too_large")
        elif not capture.response_complete or (
            not capture.request_complete and _declares_body(scope)
        ):
            self.drop_unbuilt(route.key, "incomplete")
        elif self.queue.offer(Deferred(route.key, partial(self.job_of, route, scope, capture))):
            self.route_counts(route.key).mirrored += 1

    def job_of(self, route: ShadowRoute, scope: Scope, capture: Capture) -> ShadowJob:
        """The copy of a mirrored request and legacy's answer to it."""
        return ShadowJob(
            route.key,
            request_of(scope, capture.request_body),
            capture.response(),
            notes={"route": route, "connection": Connection.of(scope)},
        )

    def drop_unbuilt(self, key: str, reason: str) -> None:
        if self.metrics is not None:
            self.metrics.shadow_drops.add(key, reason)
        self._dropped(key, reason)

    def _dropped(self, route: str, reason: str) -> None:
        counts = self.counts.get(route) or self.route_counts(route)
        counts.dropped += 1
        if reason == "budget":
            counts.over_budget += 1

    # -- the background --------------------------------------------------------------------------

    def _hand_on(self, job: ShadowJob, settle: Settle) -> bool:
        """Hand `job` to the shadow's child at once, with no coroutine (`ProcessNewSide.submit`):
        a frame written to its pipe, its answer read by callback. False (then `_send` sends it)
        when the worker asks legacy again itself, or the child is not running (`_send` starts
        it)."""
        side = cast(ProcessNewSide, self.new_side)
        if not side.asks_legacy or not side.ready:
            return False
        route: ShadowRoute = job.notes["route"]
        self._record(job, route)
        mirrored = Mirrored(
            route.key, (route.rules.json_paths, route.rules.headers), job.request,
            job.notes["connection"], job.legacy, None,
            self._wants_noise(route.key, job.request.method),
        )  # fmt: skip
        started = time.perf_counter()

        def answered(result: ShadowResult | None, error: Exception | None) -> None:
            if error is not None:
                self._failed(route.key, error, started)
            elif result is not None and result.no_legacy:
                self._lost_legacy(route.key)
            settle(result, error)

        return side.submit(mirrored, answered)

    def _timed_out(self, job: ShadowJob) -> None:
        # Counted, not judged as a 5xx: a shadow at idle priority may just have had no CPU.
        # A new side that always hangs is never compared, so its plan never moves on.
        self.route_counts(job.route).timeouts += 1

    def _failed(self, key: str, error: BaseException, started: float) -> None:
        self.route_counts(key).failed += 1
        if not isinstance(error, ShadowProcessError) or isinstance(error, NewSideFailed):
            self._new_answered(key, 500, time.perf_counter() - started)

    def _lost_legacy(self, key: str) -> None:
        if self.new_side.asks_legacy:
            log.warning("shadow_noise_in_worker", route=key,
                        reason="the shadow's child has no legacy app: the worker asks legacy"
                               " a second time itself")  # fmt: skip
            self.new_side.asks_legacy = False

    async def _send(self, job: ShadowJob) -> ShadowResult:
        route: ShadowRoute = job.notes["route"]
        self._record(job, route)
        again, ask_again = None, False
        if self._wants_noise(route.key, job.request.method):
            if self.new_side.asks_legacy:
                ask_again = True
            else:
                again = await self._legacy_again(job)
        mirrored = Mirrored(
            route.key, (route.rules.json_paths, route.rules.headers), job.request,
            job.notes["connection"], job.legacy, again, ask_again,
        )  # fmt: skip
        started = time.perf_counter()
        try:
            result = await self.new_side.answer(mirrored)
        except Exception as error:
            self._failed(route.key, error, started)
            raise
        if result.no_legacy:
            self._lost_legacy(route.key)
        return result

    def _new_answered(self, key: str, status: int, seconds: float) -> None:
        if self.on_new_answer is not None:
            self.on_new_answer(key, status, seconds)

    def _record(self, job: ShadowJob, route: ShadowRoute) -> None:
        recorder = self.recorder
        if recorder is None or self.rng.random() >= self.settings.record_sample:
            return
        try:
            written = recorder.write(job.request, route.key)
        except OSError as error:  # said once; recording stops until the worker restarts
            log.error("shadow_record_failed", file=str(recorder.path), error=str(error),
                      action="recording stopped in this worker")  # fmt: skip
            self.recorder = None
            return
        if written:
            self.route_counts(route.key).recorded += 1
            if self.metrics is not None:
                self.metrics.shadow_recorded.labels(route.key).inc()

    def _wants_noise(self, key: str, method: str) -> bool:
        if method not in SAFE_METHODS:
            return False
        seen = self._safe_seen.get(key, 0)
        self._safe_seen[key] = seen + 1
        return seen < self.settings.noise_warmup or self.rng.random() < self.settings.noise_sample

    async def _legacy_again(self, job: ShadowJob) -> Response | None:
        """Legacy's second answer from the worker's legacy threads (a new side that does not ask
        it itself), or None when it did not come in time or failed."""
        if self.budget is not None:  # legacy's threads answer, out of the loop's sight
            self.budget.charge(self.budget.request_cost)
        return await answer_within(
            self.legacy_app, job.request, job.notes["connection"], self.settings.noise_timeout,
            job.route,
        )  # fmt: skip

    def _compare(self, job: ShadowJob, result: ShadowResult) -> None:
        route: ShadowRoute = job.notes["route"]
        self._new_answered(route.key, result.status, result.seconds)
        counts = self.route_counts(route.key)
        counts.compared += 1
        if result.noise_learnt:
            counts.noise_samples += 1
        outcome = "differed" if result.differed else ("noise" if result.noise else "equal")
        if result.differed:
            counts.differed += 1
            self._keep(route.key, job, result, job.notes["connection"])
        if self.metrics is not None:
            self.metrics.shadow_comparisons.add(route.key, outcome)
        if self.on_compared is not None:
            self.on_compared(route.key, result.differed)

    def _keep(self, key: str, job: ShadowJob, result: ShadowResult, connection: Connection) -> None:
        shown = result.differences[:MAX_SHOWN_DIFFERENCES]
        if result.difference_count > MAX_SHOWN_DIFFERENCES:
            shown += (f"... and {result.difference_count - MAX_SHOWN_DIFFERENCES} more",)
        difference = ShadowDifference(
            route=key,
            at=time.time(),
            method=job.request.method,
            target=job.request.target,
            legacy_status=job.legacy.status,
            new_status=result.status,
            differences=shown,
            curl=self.curl(job.request, connection),
        )
        log.info("shadow_differed", route=key, method=difference.method,
                 target=difference.target, differences=list(shown[:3]))  # fmt: skip
        if self.settings.keep_differences:
            kept = self.latest.setdefault(key, deque(maxlen=self.settings.keep_differences))
            kept.append(difference)

    def curl(self, request: ParityRequest, connection: Connection) -> str:
        """A reproduction against the front, with cookies, tokens and passwords removed."""
        base = origins_of(request, connection)[0]
        record = self.redactor.record(request)
        if record is None:  # a body the recorder cannot redact: the request line only
            return ParityRequest(request.method, request.target).curl(base)
        return request_from_record(record).curl(base)

    # -- what the front reports ------------------------------------------------------------------

    def report(self) -> dict[str, dict[str, Any]]:
        """Per route: the counts and the latest differences (JSON-ready, for the store)."""
        keys = set(self.counts) | set(self.latest)
        return {
            key: {
                **self.route_counts(key).as_dict(),
                "latest": [d.as_dict() for d in self.latest.get(key, ())],
            }
            for key in sorted(keys)
        }
