"""`create_app(settings)`: the strangler front, one ASGI app in front of the legacy WSGI app.

Per request, before any framework routing: request id, edge checks, then the path decision
(`proxy.paths.decide` against the route table in force). Legacy requests go straight to the WSGI
bridge and never pay for FastAPI's router; a configured route is answered by its mode's class
(`proxy.modes`: legacy, shadow, canary, new, retired), in the live mode the state store holds
(`proxy.modes.live`). One log line and one metric per request.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import logging
import os
import secrets
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from proxy import cpu_affinity, edge, health, paths, worker_restart
from proxy.admin import with_admin
from proxy.canary_assignment import CanaryAssigner
from proxy.cutover_metrics import CutoverMetrics
from proxy.cutover_runtime import CutoverRuntime, live_snapshot
from proxy.errors import send_error
from proxy.health_listener import HealthListener
from proxy.legacy_routes import route_namer
from proxy.loading import AppLoadError, load_legacy_app, load_migrated_app
from proxy.modes import Call, LegacyOnly, Mirror, Outcome
from proxy.modes.handlers import HandlerCheck
from proxy.modes.live import LiveTable
from proxy.observability import (
    Metrics,
    clock,
    configure_logging,
    incoming_request_id,
    new_request_id,
)
from proxy.request_body import (
    BodyLimits,
    BodyTimeout,
    BodyTooSlow,
    ClientDisconnected,
    LimitedReceive,
)
from proxy.request_checks import HeadChecks, Refusal
from proxy.route_checks import route_problems
from proxy.route_table import Route, RouteTable
from proxy.session_user import session_user_reader
from proxy.settings import StranglerSettings, config_path, load_settings
from proxy.store import StateStore, StoreError
from proxy.wsgi_bridge import RequestBodyError, ResponseBroken, WSGIBridge

logger = logging.getLogger("strangler.front")
events = structlog.get_logger("strangler.front")
UNMATCHED = "<unmatched>"
ADMIN_PREFIX = "/_strangler"  # the front's own API and dashboard; never legacy's nor migrated's
QUERY_MARK = ord("?")  # an int needle: `b"?" in path` tries it as an int first (a TypeError)
CLOSE = ((b"connection", b"close"),)  # the rest of an unread body cannot be the next request


class StartupError(Exception):
    """The configuration and the apps disagree (e.g. a `new` route without a handler)."""


def check_modes_have_handlers(table: RouteTable, handlers: HandlerCheck) -> None:
    """Every route whose file mode calls the migrated handler has one (StartupError)."""
    problems = []
    for index, route in enumerate(table.routes):
        reason = handlers.refusal(route.path, route.methods, route.mode)
        if reason is not None:
            problems.append(f"routes[{index}] {route.path}: {reason}")
    if problems:
        raise StartupError("\n".join(problems))


def check_routes(settings: StranglerSettings, legacy_wsgi: Any) -> None:
    """Log the route warnings; raise StartupError on the route errors (proxy.route_checks)."""
    problems = route_problems(settings, legacy_wsgi)
    for problem in problems:
        if not problem.error:
            logger.warning("strangler.toml: %s", problem.message)
    errors = [problem.message for problem in problems if problem.error]
    if errors:
        raise StartupError("\n".join(errors))


def make_bridge(settings: StranglerSettings, wsgi_app: Any) -> tuple[ASGIApp, WSGIBridge | None]:
    legacy = settings.legacy
    if legacy.bridge == "a2wsgi":
        from a2wsgi import WSGIMiddleware

        reference: Any = WSGIMiddleware(_terminated_input(wsgi_app), workers=legacy.threads)
        return reference, None
    edge_settings = settings.edge
    bridge = WSGIBridge(
        wsgi_app,
        threads=legacy.threads,
        max_pending=legacy.max_pending,
        timeout=legacy.legacy_timeout,
        retry_after=legacy.retry_after,
        buffer_response_below=legacy.buffer_response_below,
        body_limits=BodyLimits(
            timeout=edge_settings.body_timeout,
            min_rate=edge_settings.body_min_rate,
            memory=edge_settings.body_buffer_memory,
        ),
        max_stuck_threads=legacy.max_stuck_threads,
    )
    return bridge, bridge


def _terminated_input(wsgi_app: Any) -> Callable[..., Any]:
    """a2wsgi does not set `wsgi.input_terminated`; Werkzeug then reads chunked bodies as empty."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ["wsgi.input_terminated"] = True
        return wsgi_app(environ, start_response)

    return app


class StranglerFront:
    """The ASGI app `create_app` returns (inside CORS / proxy-header middleware if configured)."""

    def __init__(
        self,
        settings: StranglerSettings,
        legacy_wsgi: Any,
        legacy: ASGIApp,
        bridge: WSGIBridge | None,
        migrated: Any,
        *,
        store: StateStore | None = None,
        handlers: HandlerCheck | None = None,
        base_dir: Path | None = None,
        reopen_store: Callable[[], StateStore | None] | None = None,
    ) -> None:
        self.settings = settings
        self.legacy_wsgi = legacy_wsgi
        self.legacy = legacy
        self.bridge = bridge
        self.migrated = migrated
        self.metrics = Metrics()
        self.cutover_metrics = CutoverMetrics(self.metrics.registry)
        self.handlers = handlers if handlers is not None else HandlerCheck(migrated)
        self.live = LiveTable(
            RouteTable(settings.routes),
            store,
            poll_interval=settings.store.poll_interval,
            refusal=lambda route, mode: self.handlers.refusal(route.path, route.methods, mode),
            metrics=self.cutover_metrics,
            reopen=reopen_store,
        )
        self.canary = CanaryAssigner(
            canary_secret(settings),
            secure_cookie=settings.canary.secure_cookie,
            metrics=self.cutover_metrics,
        )
        self.session_user = session_user_reader(legacy_wsgi, settings.canary.session_cookie)
        # Shadow mode's mirror, automatic rollback and plans (proxy/cutover_runtime.py).
        self.cutover = CutoverRuntime(
            settings, new_app=migrated, legacy_app=legacy, store=store,
            live=lambda: live_snapshot(self.live.watcher), metrics=self.cutover_metrics,
            base_dir=base_dir, handlers=self.handlers,
        )  # fmt: skip
        self.mirror: Mirror = self.cutover.mirror or LegacyOnly()
        self.shadow_records = self.cutover.records(store)  # read by the admin API
        self.admin: ASGIApp | None = None  # /_strangler/: the admin API and dashboard
        self.log = configure_logging() if settings.observability.access_log else None
        self.rate_limits = edge.RateLimits(settings.edge, self.live.table.routes)
        self.legacy_route_name = route_namer(legacy_wsgi)
        self.max_path = settings.paths.max_length
        self.max_body = settings.edge.max_body_bytes
        self.trusted_hosts = settings.edge.trusted_hosts
        self.head_checks = HeadChecks(settings.edge)
        self.request_id_header = settings.observability.request_id_header.lower().encode()
        self.security_headers = {
            scheme: edge.security_headers(settings.edge, scheme) for scheme in ("http", "https")
        }
        if not any(self.security_headers.values()):
            self.security_headers = {}
        endpoints = {
            settings.health.live_path: self._healthz,
            settings.health.ready_path: self._readyz,
            settings.observability.metrics_path: self._metrics,
        }
        self.health_listener = (
            HealthListener(settings, endpoints) if settings.health.listen else None
        )
        self.internal = endpoints if self.health_listener is None else {}
        self.supervisor = worker_restart.supervisor()
        if bridge is not None:
            bridge.on_stuck_bound = self._legacy_threads_stuck
        self.migrated_error: str | None = None  # why the [migrated] app could not be loaded

    # -- ASGI entry ------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.http(scope, receive, send)
        elif kind == "lifespan":
            await self.lifespan(scope, receive, send)
        elif self.migrated is not None:  # websockets: WSGI cannot serve them
            await self.migrated(scope, receive, send)

    async def lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        stack = contextlib.AsyncExitStack()
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    if self.migrated is not None:
                        await stack.enter_async_context(
                            self.migrated.router.lifespan_context(self.migrated)
                        )
                    if self.health_listener is not None:
                        await self.health_listener.start()
                        stack.push_async_callback(self.health_listener.stop)
                    self.live.start()
                    stack.callback(self.live.stop)
                    await self.cutover.start(self.live.store)  # reopened after a fork
                    stack.push_async_callback(self.cutover.stop)
                except Exception as error:
                    await send({"type": "lifespan.startup.failed", "message": repr(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await stack.aclose()
                if self.bridge is not None:
                    self.bridge.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- one HTTP request ------------------------------------------------------------------------

    @property
    def table(self) -> RouteTable:
        """The route table in force: the file's routes in their live modes."""
        return self.live.table

    def decide(self, method: str, raw_path: bytes) -> paths.Decision:
        key = (method, raw_path)
        in_force = self.live.in_force  # one table and its decisions, swapped together
        decisions = in_force.decisions
        decision = decisions.get(key)
        if decision is None:
            decision = paths.decide(in_force.table, method, raw_path, self.max_path)
            if len(decisions) < 10000:
                decisions[key] = decision
        return decision

    async def http(
        self, scope: Scope, receive: Receive, send: Send, refusal: Refusal | None = None
    ) -> None:
        """One request. `refusal`: the front answers it with this error (the admin gate's path
        traps), logged and counted like every other answer."""
        started = clock()
        if refusal is None:
            refusal = self.head_checks.check(scope)  # before the front adds headers of its own
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        header_name = self.request_id_header
        request_id = None
        host = None
        for name, value in headers:
            if name == header_name:
                request_id = incoming_request_id(value)
                if request_id is None:  # a malformed id is replaced, not passed on
                    headers = [(n, v) for n, v in headers if n != header_name]
            elif name == b"host":
                host = value
        if request_id is None:
            request_id = new_request_id()
            headers = [*headers, (header_name, request_id.encode())]
        scope["headers"] = headers
        state = scope.get("state")
        if state is None:
            scope["state"] = state = {}
        state["request_id"] = request_id

        method: str = scope["method"]
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        if QUERY_MARK in raw_path:  # httpx's ASGI transport leaves the query in raw_path
            raw_path = raw_path.split(b"?", 1)[0]
            scope["raw_path"] = raw_path
        extra_headers = [(header_name, request_id.encode())]
        if self.security_headers:
            extra_headers += self.security_headers[
                "https" if scope.get("scheme") == "https" else "http"
            ]
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                added = _missing(extra_headers, message["headers"])
                if added:
                    message = {**message, "headers": [*message["headers"], *added]}
            await send(message)

        outcome = Outcome()
        side = "front"
        route_label = UNMATCHED
        self.cutover.busy.enter()
        try:
            if refusal is not None:
                await send_error(
                    send_with_id,
                    refusal.status,
                    refusal.error,
                    refusal.message,
                    request_id,
                    CLOSE,
                )
            else:
                side, route_label = await self.dispatch(
                    scope, receive, send_with_id, method, raw_path, host, request_id, outcome
                )
        except ClientDisconnected:
            side, route_label, status = outcome.side, outcome.route, 499
        except ResponseBroken as broken:  # the response had started: it cannot be completed
            side, route_label, status = outcome.side, outcome.route, broken.status
            self.log_failure(broken.cause, request_id, outcome)
        except Exception as error:
            side, route_label = outcome.side, outcome.route
            self.log_failure(error, request_id, outcome)
            if status == 0:
                with contextlib.suppress(Exception):
                    await send_error(
                        send_with_id,
                        500,
                        "legacy_error" if side == "legacy" else "internal_error",
                        f"the {side} app failed to answer; see the log for request {request_id}",
                        request_id,
                    )
            else:
                status = 500
        except BaseException:  # cancelled (server shutdown): logged with who was answering
            side, route_label = outcome.side, outcome.route
            raise
        finally:
            self.cutover.busy.leave()
            if status == 0:
                status = 499 if side != "front" else 500
            duration = clock() - started
            self.metrics.observe(route_label, side, method, status, duration)
            route_key = state.get("route_key")
            if route_key is not None:
                self.cutover.observe(route_key, side, status, duration)
            if self.log is not None:
                self.log.request(
                    request_id=request_id,
                    method=method,
                    path=raw_path.decode("latin-1"),
                    route=route_label,
                    side=side,
                    status=status,
                    duration_ms=round(duration * 1000, 3),
                )

    async def dispatch(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        method: str,
        raw_path: bytes,
        host: bytes | None,
        request_id: str,
        outcome: Outcome,
    ) -> tuple[str, str]:
        """Answer the request; return (side, route label) for the log and the metrics, which
        `outcome` also holds before an app is called (for a request that fails)."""
        if self.trusted_hosts and not edge.host_allowed(host, self.trusted_hosts):
            await send_error(
                send, 400, "invalid_host", "the Host header is not allowed", request_id
            )
            return "front", UNMATCHED
        internal = self.internal.get(scope["path"])
        if internal is not None:
            await internal(send, request_id)
            return "front", scope["path"]
        if scope["path"] == ADMIN_PREFIX or scope["path"].startswith(ADMIN_PREFIX + "/"):
            if self.admin is None:
                await send_error(send, 404, "not_found", "no admin API here", request_id)
            else:
                await self.admin(scope, receive, send)
            return "front", ADMIN_PREFIX

        decision = self.decide(method, raw_path)
        route: Route | None = decision.route
        if decision.verdict is paths.Verdict.REJECT:
            await send_error(send, decision.status, decision.error, decision.message, request_id)
            return "front", UNMATCHED

        if self.max_body:
            for name, value in scope["headers"]:
                if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                    await send_error(
                        send,
                        413,
                        "body_too_large",
                        f"the request body is larger than {self.max_body} bytes",
                        request_id,
                    )
                    return "front", route.path if route else UNMATCHED
            receive = LimitedReceive(receive, self.max_body)

        if self.rate_limits.enabled:
            client = scope.get("client")
            retry = await self.rate_limits.retry_after(client[0] if client else "-", route)
            if retry is not None:
                await send_error(
                    send,
                    429,
                    "rate_limited",
                    "too many requests; retry later",
                    request_id,
                    ((b"retry-after", str(retry).encode()),),
                )
                return "front", route.path if route else UNMATCHED

        if route is not None:
            scope["state"]["route"] = route.path
            scope["state"]["route_key"] = route.key
            call = Call(scope, receive, send, route, request_id, outcome)
            return await route.mode.answer(call, self), route.path

        label = self.legacy_route_name(method, paths.decode_path(raw_path)) or UNMATCHED
        outcome.side, outcome.route = "legacy", label
        scope["state"]["route"] = label
        await self.call_legacy(scope, receive, send, request_id)
        return "legacy", label

    # -- the sides a mode calls (proxy.modes.Sides) -----------------------------------------------

    async def answer_legacy(self, call: Call) -> None:
        await self.call_legacy(call.scope, call.receive, call.send, call.request_id)

    async def answer_new(self, call: Call) -> None:
        if self.migrated is None:
            await send_error(
                call.send,
                503,
                "migrated_unavailable",
                "the migrated app is not loaded; see /readyz and the log",
                call.request_id,
            )
            return
        await self.call_new(call.scope, call.receive, call.send, call.route, call.request_id)

    async def answer_not_found(self, call: Call, message: str) -> None:
        await send_error(call.send, 404, "not_found", message, call.request_id)

    async def call_legacy(
        self, scope: Scope, receive: Receive, send: Send, request_id: str
    ) -> None:
        bridge = self.bridge
        if bridge is None:
            await self.guarded(self.legacy, scope, receive, send, request_id)
            return
        try:
            await bridge.answer(scope, receive, send, request_id)
        except RequestBodyError as error:
            cause = error.cause
            if isinstance(cause, edge.BodyTooLarge):
                status, code = 413, "body_too_large"
            elif isinstance(cause, BodyTimeout):
                status, code = 408, "body_timeout"
            elif isinstance(cause, BodyTooSlow):
                status, code = 408, "body_too_slow"
            else:
                status, code = 400, "bad_body"
            await send_error(send, status, code, str(cause), request_id, CLOSE)

    async def call_new(
        self, scope: Scope, receive: Receive, send: Send, route: Route, request_id: str
    ) -> None:
        """Call the migrated app. Its error responses (4xx/5xx) are held until it returns: if it
        raised instead, the front answers (500, or 413 when the body passed `max_body_bytes`)
        in its own format, and the connection stays usable."""
        if scope["method"] == "HEAD":  # FastAPI routes do not answer HEAD: run GET, drop the body
            scope = {**scope, "method": "GET"}
            send = _without_body(send)
        held: list[Message] = []
        forwarded = False

        async def holding_send(message: Message) -> None:
            nonlocal forwarded
            if held or (message["type"] == "http.response.start" and message["status"] >= 400):
                held.append(message)
                return
            forwarded = True
            await send(message)

        try:
            await self.migrated(scope, receive, holding_send)
        except edge.BodyTooLarge as error:
            if not forwarded:
                await send_error(send, 413, "body_too_large", str(error), request_id, CLOSE)
            return
        if held and isinstance(receive, LimitedReceive) and receive.exceeded:
            text = f"the request body is larger than {self.max_body} bytes"
            await send_error(send, 413, "body_too_large", text, request_id, CLOSE)
            return
        for message in held:
            await send(message)

    async def guarded(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, request_id: str
    ) -> None:
        """Call `app`; when a body limit is set, answer 413 if the app reads past it."""
        if not self.max_body:
            await app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await app(scope, receive, tracking_send)
        except edge.BodyTooLarge as error:
            if not started:
                await send_error(send, 413, "body_too_large", str(error), request_id)

    # -- the front's own endpoints ---------------------------------------------------------------

    async def _healthz(self, send: Send, request_id: str) -> None:
        await health.send_json(send, 200, b'{"status":"ok"}', [])

    async def _readyz(self, send: Send, request_id: str) -> None:
        extra = {"legacy_threads": self.legacy_threads_check()} if self.bridge else {}
        status, body = await health.readiness(
            self.legacy, self.settings.health, extra, migrated_error=self.migrated_error
        )
        await health.send_json(send, status, body, [])

    # -- failures --------------------------------------------------------------------------------

    def log_failure(self, error: BaseException, request_id: str, outcome: Outcome) -> None:
        """One structured line, with the traceback, for an app (or the front) that raised."""
        events.error(
            "request_failed",
            request_id=request_id,
            route=outcome.route,
            side=outcome.side,
            error=f"{type(error).__name__}: {error}",
            traceback="".join(traceback.format_exception(error)),
        )

    def legacy_threads_check(self) -> health.Check:
        bridge = self.bridge
        assert bridge is not None
        reason = bridge.stuck_bound_reached
        if reason is None:
            return health.Check(
                True,
                f"{bridge.stuck_threads} stuck thread(s) replaced"
                f" (bound {bridge.max_stuck_threads})",
            )
        if self.supervisor is None:
            return health.Check(False, f"{reason}: no supervisor; restart this front")
        return health.Check(False, f"{reason}: restart requested from {self.supervisor}")

    def _legacy_threads_stuck(self, reason: str) -> None:
        if self.supervisor is None:
            action = "no supervisor to restart this worker: /readyz says not ready; restart it"
        else:
            action = f"graceful restart requested from {self.supervisor}"
        events.error("legacy_threads_stuck", reason=reason, action=action, pid=os.getpid())
        if self.supervisor is not None:
            worker_restart.request_restart()

    async def _metrics(self, send: Send, request_id: str) -> None:
        body, content_type = self.metrics.exposition()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _missing(extra: list[tuple[bytes, bytes]], headers: Iterable[Any]) -> list[tuple[bytes, bytes]]:
    """The fields of `extra` (lowercase names) that `headers` lacks, names compared in any case;
    the names are gathered and checked in C (a set built in Python cost more than the rest)."""
    names: Any = dict(headers).keys()
    joined = b"".join(names)
    if joined != joined.lower():  # some name has capitals
        names = {name.lower() for name in names}
    return [header for header in extra if header[0] not in names]


def _without_body(send: Send) -> Send:
    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            message = {**message, "body": b""}
        await send(message)

    return head_send


def canary_secret(settings: StranglerSettings) -> bytes:
    """`[canary] cookie_secret`, else `$STRANGLER_CANARY_SECRET` (what `strangler serve` shares
    with its own workers), else a random key for this process alone."""
    configured = settings.canary.cookie_secret
    if configured is not None:
        return configured.get_secret_value().encode()
    shared = os.environ.get(CANARY_SECRET_ENV_VAR, "")
    if len(shared) >= 16:
        return shared.encode()
    return secrets.token_bytes(32)


CANARY_SECRET_ENV_VAR = "STRANGLER_CANARY_SECRET"


def store_for(settings: StranglerSettings, config_file: Path | None) -> StateStore | None:
    """The store `[store] url` names, else the SQLite file beside the config; None for a front
    built from settings alone (no file, no url: the file's modes only)."""
    from proxy.store import default_store_url, open_store

    url = settings.store.url
    if url is None and config_file is None:
        return None
    base_dir = config_file.resolve().parent if config_file is not None else None
    try:
        return open_store(
            url or default_store_url(config_file),  # type: ignore[arg-type]
            base_dir=base_dir,
            key_prefix=settings.store.key_prefix,
        )
    except StoreError as error:
        raise StartupError(f"the state store cannot be opened: {error}") from None


def admin_app(front: StranglerFront) -> ASGIApp | None:
    """What the front serves under /_strangler/: `proxy.admin.create_admin_app(front)`, the
    admin API and dashboard, when that module is installed (else those paths answer 404)."""
    if importlib.util.find_spec("proxy.admin") is None:
        return None
    admin: ASGIApp = importlib.import_module("proxy.admin").create_admin_app(front)
    return admin


def create_app(
    settings: StranglerSettings,
    *,
    config_file: Path | None = None,
    store: StateStore | None = None,
) -> ASGIApp:
    """Build the front. Raises AppLoadError / StartupError when the apps and config disagree.

    The routes' live modes come from `store`, else from the store the settings name (beside
    `config_file` by default); without either, the file's modes are in force."""
    legacy_wsgi = load_legacy_app(settings.legacy.app)
    check_routes(settings, legacy_wsgi)
    migrated, migrated_error = None, None
    if settings.migrated.app:
        try:
            migrated = load_migrated_app(settings.migrated.app)
        except Exception as error:  # the legacy routes are still served; `new` ones answer 503
            migrated_error = str(error) if isinstance(error, AppLoadError) else repr(error)
            logger.error(
                "the migrated app cannot be loaded; legacy routes are served, new routes answer"
                " 503: %s",
                migrated_error,
            )
    handlers = HandlerCheck(migrated, loaded=migrated_error is None)
    check_modes_have_handlers(RouteTable(settings.routes), handlers)
    reopen = None
    if store is None:
        store = store_for(settings, config_file)
        reopen = lambda: store_for(settings, config_file)  # noqa: E731 (in a worker after a fork)
    legacy, bridge = make_bridge(settings, legacy_wsgi)
    front = StranglerFront(
        settings, legacy_wsgi, legacy, bridge, migrated,
        store=store, handlers=handlers, reopen_store=reopen,
        base_dir=config_file.resolve().parent if config_file is not None else None,
    )  # fmt: skip
    front.live.read()
    front.live.log_differences()
    front.admin = admin_app(front)
    if "buffer_body_below" in settings.legacy.model_fields_set:
        structlog.get_logger("strangler.front").warning(
            "deprecated_setting",
            key="legacy.buffer_body_below",
            message="ignored: a legacy request body is now read whole before the call, in memory"
            " up to [edge] body_buffer_memory and in a temporary file above it",
        )
    front.migrated_error = migrated_error
    app: ASGIApp = with_admin(front, front)  # other spellings of /_strangler/ answered 400
    if settings.edge.cors_allow_origins:
        from starlette.middleware.cors import CORSMiddleware

        app = CORSMiddleware(
            app,
            allow_origins=list(settings.edge.cors_allow_origins),
            allow_methods=list(settings.edge.cors_allow_methods),
            allow_headers=list(settings.edge.cors_allow_headers),
            allow_credentials=settings.edge.cors_allow_credentials,
        )
    if settings.proxy.trusted_proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        proxied: Any = ProxyHeadersMiddleware(
            app,  # type: ignore[arg-type]  # uvicorn types ASGI with TypedDicts, Starlette with dicts
            trusted_hosts=list(settings.proxy.trusted_proxies),
        )
        app = proxied
    if settings.proxy.strip_untrusted_forwarded:
        app = edge.UntrustedForwardedStripper(app, settings.proxy)
    return app


def freeze_startup_objects() -> None:
    """Take everything loaded so far (both apps and their frameworks) out of the cyclic garbage
    collector's scans. The front holds two apps' worth of long-lived objects; without this, every
    full collection under load walks them all again (gc.freeze, as pre-fork servers use it)."""
    gc.collect()
    gc.freeze()


def app_from_environment() -> ASGIApp:
    """Factory for uvicorn/gunicorn: the config file from STRANGLER_CONFIG (or ./strangler.toml).
    Each worker process calling it takes its own core when `[server] cpu_affinity` is set."""
    file = config_path()
    settings = load_settings(file)
    core = cpu_affinity.apply(settings.server.cpu_affinity)
    if core is not None:
        server_log = logging.getLogger("uvicorn.error")  # shown by uvicorn and gunicorn workers
        server_log.info("worker %d pinned to CPU core %d", os.getpid(), core)
    app = create_app(settings, config_file=file)
    freeze_startup_objects()
    return app


__all__ = [
    "AppLoadError",
    "StartupError",
    "StranglerFront",
    "app_from_environment",
    "create_app",
    "freeze_startup_objects",
]
