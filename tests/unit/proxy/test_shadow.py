"""Shadow mode's engine, in-process: legacy answers the client whatever the new side does; what is
mirrored, sampled, compared, counted and kept."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from prometheus_client import generate_latest

from proxy.cutover_metrics import CutoverMetrics
from proxy.diff import IgnoreRules
from proxy.shadow import Shadow, ShadowRoute
from proxy.shadow_process import NewSideFailed, ProcessNewSide, ShadowProcessError
from proxy.shadow_queue import BusyGauge
from proxy.shadow_record import CaseRecorder, Redactor
from proxy.shadow_settings import ShadowSettings
from proxy.shadow_side import InlineNewSide, Mirrored, ShadowResult

Message = dict[str, Any]
App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]
ROUTE = ShadowRoute("GET /api/items")


def json_app(payload: Callable[[dict[str, Any]], Any], status: int = 200) -> App:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        scope["received_body"] = body
        data = json.dumps(payload(scope)).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json")]})  # fmt: skip
        await send({"type": "http.response.body", "body": data})

    return app


LEGACY = json_app(lambda scope: {"id": 1, "name": "pen"})


def scope_for(method: str = "GET", path: str = "/api/items", body: bytes = b"") -> dict[str, Any]:
    headers = [(b"host", b"shop.example"), (b"cookie", b"session=s3cret")]
    if body:
        headers.append((b"content-length", str(len(body)).encode()))
        headers.append((b"content-type", b"application/json"))
    return {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(),
        "query_string": b"", "headers": headers, "scheme": "http",
        "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5555), "state": {},
    }  # fmt: skip


class Client:
    """The client's side of one request: what it was sent."""

    def __init__(self, body: bytes = b"") -> None:
        self.body = body
        self.messages: list[Message] = []
        self._read = False

    async def receive(self) -> Message:
        if self._read:
            await asyncio.Event().wait()
        self._read = True
        return {"type": "http.request", "body": self.body, "more_body": False}

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return int(self.messages[0]["status"])

    @property
    def answer(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])

    @property
    def complete(self) -> bool:
        return bool(self.messages) and not self.messages[-1].get("more_body", False)


def shadow_with(new_app: App, legacy_app: App = LEGACY, **settings: Any) -> Shadow:
    options = {"noise_warmup": 0, "noise_sample": 0.0, **settings}
    return Shadow(ShadowSettings(**options), new_app=new_app, legacy_app=legacy_app,
                  metrics=CutoverMetrics(), rng=random.Random(7))  # fmt: skip


async def serve(shadow: Shadow, route: ShadowRoute = ROUTE, **request: Any) -> Client:
    body = request.get("body", b"")
    client = Client(body)
    await shadow.answer(route, scope_for(**request), client.receive, client.send, LEGACY)
    return client


def test_a_hanging_shadow_leaves_the_client_s_answer_untouched() -> None:
    async def scenario() -> None:
        release, entered = asyncio.Event(), asyncio.Event()

        async def hanging(scope: Any, receive: Any, send: Any) -> None:
            entered.set()
            await release.wait()

        shadow = shadow_with(hanging, timeout=60)
        await shadow.start()
        client = await serve(shadow)
        await entered.wait()  # the shadow is running, and hangs
        assert client.complete and not release.is_set()
        assert (client.status, json.loads(client.answer)) == (200, {"id": 1, "name": "pen"})
        release.set()
        await shadow.close()

    asyncio.run(scenario())


def test_a_failing_shadow_is_counted_and_the_client_still_gets_legacy_s_answer() -> None:
    async def scenario() -> None:
        async def failing(scope: Any, receive: Any, send: Any) -> None:
            raise RuntimeError("new side bug")

        shadow = shadow_with(failing)
        await shadow.start()
        client = await serve(shadow)
        await shadow.queue.join()
        assert client.status == 200 and client.complete
        assert shadow.counts[ROUTE.key].failed == 1
        assert shadow.counts[ROUTE.key].compared == 0
        await shadow.close()

    asyncio.run(scenario())


def test_a_shadow_that_times_out_is_abandoned_and_counted() -> None:
    async def scenario() -> None:
        async def hanging(scope: Any, receive: Any, send: Any) -> None:
            await asyncio.Event().wait()

        shadow = shadow_with(hanging, timeout=0.01)
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        assert shadow.counts[ROUTE.key].timeouts == 1
        assert shadow.queue.counts.timeout == 1
        await shadow.close()

    asyncio.run(scenario())


def test_a_full_queue_sheds_and_counts_per_route() -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def hanging(scope: Any, receive: Any, send: Any) -> None:
            await release.wait()

        shadow = shadow_with(hanging, max_pending=2, concurrency=1, timeout=60)
        await shadow.start()
        for _ in range(10):
            await serve(shadow)
        counts = shadow.counts[ROUTE.key]
        assert counts.mirrored + counts.dropped == 10
        assert counts.dropped >= 7  # one running, at most two waiting
        assert shadow.report()[ROUTE.key]["dropped"] == counts.dropped
        release.set()
        await shadow.close()

    asyncio.run(scenario())


def test_a_request_shed_by_a_full_queue_reaches_legacy_with_the_client_s_own_channels() -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def hanging(scope: Any, receive: Any, send: Any) -> None:
            await release.wait()

        seen: list[tuple[Any, Any]] = []

        async def legacy(scope: Any, receive: Any, send: Any) -> None:
            seen.append((receive, send))
            await LEGACY(scope, receive, send)

        shadow = shadow_with(hanging, max_pending=1, concurrency=1, timeout=60)
        await shadow.start()
        while not shadow.queue.full():
            await serve(shadow)
            await asyncio.sleep(0)
        client = Client()
        await shadow.answer(ROUTE, scope_for(), client.receive, client.send, legacy)
        assert client.status == 200 and client.complete
        assert seen == [(client.receive, client.send)]  # no capture in between: nothing copied
        assert shadow.queue.counts.dropped >= 1
        assert shadow.counts[ROUTE.key].dropped == shadow.queue.counts.dropped
        release.set()
        await shadow.close()

    asyncio.run(scenario())


def test_unsafe_methods_are_not_mirrored() -> None:
    async def scenario() -> None:
        calls: list[str] = []
        new = json_app(lambda scope: calls.append(scope["method"]) or {})
        shadow = shadow_with(new)
        await shadow.start()
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            client = await serve(shadow, method=method, body=b'{"a": 1}')
            assert client.status == 200
        await shadow.queue.join()
        assert calls == []
        assert shadow.counts[ROUTE.key].unsafe_skipped == 4
        await shadow.close()

    asyncio.run(scenario())


def test_a_side_effect_free_route_mirrors_post_with_its_body() -> None:
    async def scenario() -> None:
        bodies: list[bytes] = []

        def remember(scope: dict[str, Any]) -> dict[str, Any]:
            bodies.append(scope["received_body"])
            return {"id": 1, "name": "pen"}

        shadow = shadow_with(json_app(remember))
        await shadow.start()
        route = ShadowRoute("POST /api/quote", side_effect_free=True)
        await serve(shadow, route, method="POST", body=b'{"qty": 2}')
        await shadow.queue.join()
        assert bodies == [b'{"qty": 2}']
        assert shadow.counts[route.key].compared == 1
        await shadow.close()

    asyncio.run(scenario())


def test_safe_methods_are_mirrored() -> None:
    async def scenario() -> None:
        calls: list[str] = []

        def seen(scope: dict[str, Any]) -> dict[str, Any]:
            calls.append(scope["method"])
            return {"id": 1, "name": "pen"}

        shadow = shadow_with(json_app(seen))
        await shadow.start()
        for method in ("GET", "HEAD", "OPTIONS"):
            await serve(shadow, method=method)
        await shadow.queue.join()
        assert calls == ["GET", "GET", "OPTIONS"]  # HEAD runs as GET, as the front calls new
        await shadow.close()

    asyncio.run(scenario())


def test_the_sample_rate_mirrors_that_share_of_requests() -> None:
    async def scenario() -> None:
        shadow = shadow_with(json_app(lambda scope: {"id": 1, "name": "pen"}))
        await shadow.start()
        route = ShadowRoute("GET /api/items", sample=0.25)
        for _ in range(400):
            await serve(shadow, route)
        await shadow.queue.join()
        assert 60 <= shadow.counts[route.key].mirrored <= 140
        never = ShadowRoute("GET /api/never", sample=0.0)
        for _ in range(50):
            await serve(shadow, never)
        assert shadow.route_counts(never.key).mirrored == 0
        await shadow.close()

    asyncio.run(scenario())


def test_differences_are_counted_and_kept_with_a_curl_without_the_cookie() -> None:
    async def scenario() -> None:
        shadow = shadow_with(json_app(lambda scope: {"id": 1, "name": "PEN"}))
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        report = shadow.report()[ROUTE.key]
        assert (report["compared"], report["differed"]) == (1, 1)
        latest = report["latest"][0]
        assert latest["differences"] == ['$.name: "pen" != "PEN"']
        assert latest["curl"].startswith("curl -i -X GET")
        assert "http://shop.example/api/items" in latest["curl"]
        assert "s3cret" not in latest["curl"] and "cookie" not in latest["curl"].lower()
        await shadow.close()

    asyncio.run(scenario())


def test_equal_answers_are_compared_not_differed() -> None:
    async def scenario() -> None:
        shadow = shadow_with(json_app(lambda scope: {"name": "pen", "id": 1}))
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        assert (shadow.counts[ROUTE.key].compared, shadow.counts[ROUTE.key].differed) == (1, 0)
        await shadow.close()

    asyncio.run(scenario())


def test_the_route_s_ignore_rules_apply() -> None:
    async def scenario() -> None:
        shadow = shadow_with(json_app(lambda scope: {"id": 1, "name": "PEN"}))
        await shadow.start()
        await serve(shadow, ShadowRoute(ROUTE.key, rules=IgnoreRules(["$.name"])))
        await shadow.queue.join()
        assert shadow.counts[ROUTE.key].differed == 0
        await shadow.close()

    asyncio.run(scenario())


def counter() -> Callable[[dict[str, Any]], dict[str, Any]]:
    calls = iter(range(1_000_000))
    return lambda scope: {"id": 1, "served_at": next(calls)}


def test_noise_measured_live_on_legacy_suppresses_its_differences() -> None:
    async def scenario() -> tuple[int, int, int]:
        legacy = json_app(counter())  # a field that changes on every call: noise
        new = json_app(counter())
        shadow = shadow_with(new, legacy_app=legacy, noise_warmup=1, concurrency=1)
        await shadow.start()
        for _ in range(20):
            client = Client()
            await shadow.answer(ROUTE, scope_for(), client.receive, client.send, legacy)
        await shadow.queue.join()
        counts = shadow.counts[ROUTE.key]
        await shadow.close()
        return counts.compared, counts.differed, counts.noise_samples

    compared, differed, samples = asyncio.run(scenario())
    assert (compared, differed, samples) == (20, 0, 1)


def test_without_a_noise_sample_the_same_field_differs() -> None:
    async def scenario() -> int:
        legacy, new = json_app(counter()), json_app(lambda scope: {"id": 1, "served_at": -1})
        shadow = shadow_with(new, legacy_app=legacy, noise_warmup=0, noise_sample=0.0)
        await shadow.start()
        for _ in range(5):
            client = Client()
            await shadow.answer(ROUTE, scope_for(), client.receive, client.send, legacy)
        await shadow.queue.join()
        await shadow.close()
        return shadow.counts[ROUTE.key].differed

    assert asyncio.run(scenario()) == 5


def test_legacy_is_not_asked_twice_for_unsafe_methods() -> None:
    async def scenario() -> None:
        legacy_calls: list[str] = []

        def legacy_seen(scope: dict[str, Any]) -> dict[str, Any]:
            legacy_calls.append(scope["method"])
            return {"ok": True}

        legacy = json_app(legacy_seen)
        shadow = shadow_with(json_app(lambda scope: {"ok": True}), legacy_app=legacy,
                             noise_warmup=100, noise_sample=1.0)  # fmt: skip
        await shadow.start()
        route = ShadowRoute("POST /api/quote", side_effect_free=True)
        client = Client(b"{}")
        await shadow.answer(route, scope_for("POST", body=b"{}"), client.receive, client.send,
                            legacy)  # fmt: skip
        await shadow.queue.join()
        assert legacy_calls == ["POST"]  # the client's call only
        await shadow.close()

    asyncio.run(scenario())


class LegacyAskingSide:
    """A new side that asks legacy again itself (as the shadow's child does), or says it has no
    legacy app to ask (`no_legacy`); it keeps what it was given."""

    def __init__(self, *, has_legacy: bool = True) -> None:
        self.asks_legacy = True
        self.has_legacy = has_legacy
        self.given: list[Mirrored] = []

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def answer(self, mirrored: Mirrored) -> ShadowResult:
        self.given.append(mirrored)
        unasked = mirrored.ask_legacy_again and not self.has_legacy
        learnt = mirrored.ask_legacy_again and self.has_legacy
        return ShadowResult(200, 0.001, False, False, noise_learnt=learnt, no_legacy=unasked)


def counted_legacy(calls: list[str]) -> App:
    def answer(scope: dict[str, Any]) -> dict[str, Any]:
        calls.append(scope["path"])
        return {"id": 1}

    return json_app(answer)


def test_a_new_side_that_asks_legacy_itself_gets_the_noise_sample_not_the_worker() -> None:
    async def scenario() -> None:
        calls: list[str] = []
        side = LegacyAskingSide()
        legacy = counted_legacy(calls)
        shadow = Shadow(ShadowSettings(noise_warmup=2, noise_sample=0.0), new_side=side,
                        legacy_app=legacy)  # fmt: skip
        await shadow.start()
        for _ in range(3):
            client = Client()
            await shadow.answer(ROUTE, scope_for(), client.receive, client.send, legacy)
        await shadow.queue.join()
        await shadow.close()
        assert len(calls) == 3  # the clients' calls only: none from the worker for the noise
        assert [m.ask_legacy_again for m in side.given] == [True, True, False]
        assert all(m.legacy_again is None for m in side.given)
        assert shadow.counts[ROUTE.key].noise_samples == 2

    asyncio.run(scenario())


def test_the_worker_asks_legacy_again_once_the_new_side_says_it_has_no_legacy_app() -> None:
    async def scenario() -> None:
        calls: list[str] = []
        side = LegacyAskingSide(has_legacy=False)
        legacy = counted_legacy(calls)
        shadow = Shadow(ShadowSettings(noise_warmup=3, noise_sample=0.0, concurrency=1),
                        new_side=side, legacy_app=legacy)  # fmt: skip
        await shadow.start()
        for _ in range(3):
            client = Client()
            await shadow.answer(ROUTE, scope_for(), client.receive, client.send, legacy)
            await shadow.queue.join()
        await shadow.close()
        assert [m.ask_legacy_again for m in side.given] == [True, False, False]
        assert [m.legacy_again is not None for m in side.given] == [False, True, True]
        assert len(calls) == 3 + 2  # the clients' calls, and the worker's two noise samples
        assert not side.asks_legacy

    asyncio.run(scenario())


def test_shadow_work_waits_while_client_requests_are_in_flight() -> None:
    async def scenario() -> None:
        calls: list[str] = []
        busy = BusyGauge()
        shadow = Shadow(
            ShadowSettings(noise_warmup=0, max_busy=0),
            new_app=json_app(lambda scope: calls.append("new") or {}),
            legacy_app=LEGACY,
            busy=busy,
        )
        await shadow.start()
        busy.enter()  # another client's request is in flight
        await serve(shadow)
        for _ in range(20):
            await asyncio.sleep(0)
        assert calls == []
        busy.leave()
        await shadow.queue.join()
        assert calls == ["new"]
        await shadow.close()

    asyncio.run(scenario())


def test_results_reach_the_rollback_analysis_and_the_metrics() -> None:
    async def scenario() -> None:
        compared: list[tuple[str, bool]] = []
        answered: list[tuple[str, int]] = []
        metrics = CutoverMetrics()
        shadow = Shadow(
            ShadowSettings(noise_warmup=0, noise_sample=0.0),
            new_app=json_app(lambda scope: {"id": 2}, status=500),
            legacy_app=LEGACY,
            metrics=metrics,
            on_compared=lambda key, differed: compared.append((key, differed)),
            on_new_answer=lambda key, status, seconds: answered.append((key, status)),
        )
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        assert compared == [(ROUTE.key, True)] and answered == [(ROUTE.key, 500)]
        text = generate_latest(metrics.registry).decode()
        assert 'strangler_shadow_compared_total{result="differed",route="GET /api/items"} 1.0' in (
            text
        )
        await shadow.close()

    asyncio.run(scenario())


def test_a_case_file_that_cannot_be_written_stops_recording_not_the_shadow(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        blocked = tmp_path / "not-a-directory"
        blocked.write_text("")
        recorder = CaseRecorder(blocked / "recorded.jsonl", max_bytes=10_000, redactor=Redactor())
        shadow = Shadow(
            ShadowSettings(noise_warmup=0, record_sample=1.0),
            new_app=json_app(lambda scope: {"id": 1, "name": "pen"}),
            legacy_app=LEGACY,
            recorder=recorder,
        )
        await shadow.start()
        for _ in range(3):
            await serve(shadow)
        await shadow.queue.join()
        assert shadow.recorder is None
        assert shadow.counts[ROUTE.key].compared == 3
        await shadow.close()

    asyncio.run(scenario())


def test_sampled_requests_are_recorded_redacted(tmp_path: Path) -> None:
    async def scenario() -> None:
        path = tmp_path / "recorded.jsonl"
        recorder = CaseRecorder(path, max_bytes=100_000, redactor=Redactor())
        shadow = Shadow(
            ShadowSettings(noise_warmup=0, record_sample=1.0),
            new_app=json_app(lambda scope: {"id": 1, "name": "pen"}),
            legacy_app=LEGACY,
            recorder=recorder,
        )
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        await shadow.close()
        (line,) = [json.loads(text) for text in path.read_text().splitlines()]
        assert (line["method"], line["path"], line["route"]) == ("GET", "/api/items", ROUTE.key)
        assert line["redacted"] == ["header cookie"] and "s3cret" not in path.read_text()
        assert shadow.counts[ROUTE.key].recorded == 1

    asyncio.run(scenario())


class FailingSide:
    """A new side whose every answer raises `error`."""

    asks_legacy = False

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def answer(self, mirrored: Mirrored) -> ShadowResult:
        raise self.error


def judged_statuses(new_side: Any, **settings: Any) -> list[int]:
    async def scenario() -> list[int]:
        answered: list[int] = []
        shadow = Shadow(
            ShadowSettings(noise_warmup=0, **settings), new_side=new_side, legacy_app=LEGACY,
            on_new_answer=lambda key, status, seconds: answered.append(status),
        )  # fmt: skip
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        await shadow.close()
        return answered

    return asyncio.run(scenario())


def test_a_handler_that_raises_counts_as_a_new_side_5xx() -> None:
    assert judged_statuses(FailingSide(NewSideFailed("RuntimeError: boom"))) == [500]
    assert judged_statuses(FailingSide(RuntimeError("boom"))) == [500]


def test_the_shadow_s_own_trouble_and_timeouts_are_not_judged_as_5xx() -> None:
    assert judged_statuses(FailingSide(ShadowProcessError("the shadow process is down"))) == []

    async def hanging(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.Event().wait()

    assert judged_statuses(InlineNewSide(hanging), timeout=0.01) == []


def test_a_request_over_budget_reaches_legacy_as_the_front_called_it() -> None:
    from proxy.cutover_runtime import ShadowMirror
    from proxy.modes import Call, Outcome
    from proxy.route_table import RouteTable
    from proxy.settings import RouteSettings
    from proxy.shadow_budget import ShadowBudget

    async def scenario() -> None:
        budget = ShadowBudget(0.1)
        budget.tokens = -1.0  # no time to spare
        shadow = Shadow(ShadowSettings(), legacy_app=LEGACY, new_app=LEGACY, budget=budget)
        route = RouteTable([RouteSettings(path="/api/items", methods=["GET"])]).routes[0]
        mirror = ShadowMirror(shadow, {route.key: ShadowRoute(str(route.key))})
        client = Client()
        call = Call(scope_for(), client.receive, client.send, route, "id", Outcome())
        seen: list[Call] = []

        async def legacy(given: Call) -> None:
            seen.append(given)

        await mirror.answer_and_mirror(call, legacy)
        assert seen == [call] and seen[0] is call  # no wrapper, no capture: decided first
        counts = shadow.route_counts(str(route.key))
        assert (counts.dropped, counts.over_budget, counts.mirrored) == (1, 1, 0)

    asyncio.run(scenario())


def test_a_request_not_mirrored_gets_legacy_s_own_awaitable_with_no_frame_between() -> None:
    from proxy.cutover_runtime import ShadowMirror
    from proxy.modes import Call, Outcome
    from proxy.route_table import RouteTable
    from proxy.settings import RouteSettings

    shadow = Shadow(ShadowSettings(), legacy_app=LEGACY, new_app=LEGACY)
    route = RouteTable([RouteSettings(path="/api/items", methods=["GET"])]).routes[0]
    mirror = ShadowMirror(shadow, {route.key: ShadowRoute(str(route.key), sample=0.0)})
    client = Client()
    call = Call(scope_for(), client.receive, client.send, route, "id", Outcome())
    legacy_call = asyncio.sleep(0)

    assert mirror.answer_and_mirror(call, lambda given: legacy_call) is legacy_call
    asyncio.run(legacy_call)


def test_the_mirror_finds_a_route_of_a_newer_route_table_by_path_and_methods() -> None:
    from proxy.cutover_runtime import ShadowMirror
    from proxy.modes import Call, Outcome, mode_named
    from proxy.route_table import RouteTable
    from proxy.settings import RouteSettings

    async def scenario() -> None:
        shadow = Shadow(ShadowSettings(), legacy_app=LEGACY, new_app=LEGACY)  # queue not started
        table = RouteTable([RouteSettings(path="/api/items", methods=["GET"])])
        first = table.routes[0]
        mirror = ShadowMirror(shadow, {first.key: ShadowRoute(str(first.key))})
        newer = table.with_modes({first.key: mode_named("shadow", 0)}).routes[0]
        assert newer is not first
        for route in (first, newer):
            client = Client()
            call = Call(scope_for(), client.receive, client.send, route, "id", Outcome())
            await mirror.answer_and_mirror(call, lambda given: LEGACY(given.scope, given.receive,
                                                                     given.send))  # fmt: skip
        assert shadow.counts[str(first.key)].dropped == 2  # both taken, the queue closed

    asyncio.run(scenario())


def test_the_copy_of_a_mirrored_request_is_built_in_the_worker_s_quiet_moment() -> None:
    async def scenario() -> None:
        busy = BusyGauge()
        shadow = Shadow(
            ShadowSettings(noise_warmup=0, max_busy=0),
            new_app=json_app(lambda scope: {}),
            legacy_app=LEGACY,
            busy=busy,
        )
        built_with_in_flight: list[int] = []
        build = shadow.job_of

        def recording(*given: Any) -> Any:
            built_with_in_flight.append(busy.in_flight)
            return build(*given)

        shadow.job_of = recording  # type: ignore[method-assign]
        await shadow.start()
        busy.enter()  # another client's request is in flight
        await serve(shadow)
        for _ in range(20):
            await asyncio.sleep(0)
        assert built_with_in_flight == []  # not on the client's path
        busy.leave()
        await shadow.queue.join()
        assert built_with_in_flight == [0]
        assert shadow.counts[ROUTE.key].compared == 1
        await shadow.close()

    asyncio.run(scenario())


CHILD_APP, CHILD_LEGACY = "tests.unit.proxy.apps:migrated_app", "tests.unit.proxy.apps:flask_app"


def test_a_running_child_takes_each_mirrored_request_by_hand_with_no_send_of_its_own() -> None:
    async def scenario() -> None:
        side = ProcessNewSide(CHILD_APP, legacy_reference=CHILD_LEGACY)
        # A timeout long enough for the child to import the apps on a loaded machine.
        # noise_sample=0: past the warm-up no request is sampled at random.
        shadow = Shadow(ShadowSettings(noise_warmup=1, noise_sample=0.0, timeout=120),
                        new_side=side, legacy_app=LEGACY)  # fmt: skip
        sent: list[Any] = []
        send = shadow._send

        async def counted(job: Any) -> ShadowResult:
            sent.append(job)
            return await send(job)

        shadow.queue._send = counted
        await shadow.start()
        try:
            for _ in range(3):
                await serve(shadow)
            await shadow.queue.join()
        finally:
            await shadow.close()
        counts = shadow.counts[ROUTE.key]
        assert (counts.compared, counts.noise_samples) == (3, 1)
        assert sent == []

    asyncio.run(scenario())


def test_a_child_not_running_yet_is_started_by_the_first_mirrored_request() -> None:
    async def scenario() -> None:
        side = ProcessNewSide(CHILD_APP, legacy_reference=CHILD_LEGACY)
        shadow = Shadow(ShadowSettings(noise_warmup=0, timeout=120), new_side=side,
                        legacy_app=LEGACY)  # fmt: skip
        await shadow.start(new_side_now=False)
        try:
            await serve(shadow)
            await shadow.queue.join()
            assert side.ready
        finally:
            await shadow.close()
        assert shadow.counts[ROUTE.key].compared == 1

    asyncio.run(scenario())
