"""One Flask request on the FastAPI side: before hooks, the view, after hooks and teardown on one
thread, in Flask's order (`Flask.full_dispatch_request`). Transitional: gone with the legacy app.

Flask runs a request on one thread, so per-request resources made by a hook (a sqlite3
connection in `g`, an open file) work in the view and are closed by teardown; sqlite3 refuses a
connection used from another thread. Running each hook in a thread of its own would break
them, and each hop costs as much CPU as a small view. So:

- `FlaskRequests`, a pure ASGI middleware, gives each request a fresh `g`, binds the request and
  starts a `RequestRun`;
- `FlaskRoute` wraps each sync view in `in_request_thread`: the before hooks, the view, the
  after hooks and teardown then run in one hop to a worker thread (`thread_hop.py`, cheaper
  than the anyio hop FastAPI would make for a sync view);
- a sync view's route dependencies that are plain functions (the guards the codemod made of the
  app's own view decorators, like flaskr's `login_required` reading the `g.user` a before hook
  set) are resolved by FastAPI but called there too, after the before hooks (`deferred`), as
  Flask calls a view's decorators after `before_request`;
- a request that never reaches a view (404, 405, a 422 from a declared parameter) gets its
  hooks from the middleware, before its answer is sent: a before hook's own answer (a redirect
  to the login page) then replaces the error, as in Flask.

When the view raises, teardown still runs on the view's thread (so it can close what the hooks
opened there) and the error handler's answer goes through the after hooks on the event loop's
side: Flask would run those after hooks before teardown.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from codemods.runtime.common.thread_hop import run_in_thread
from codemods.runtime.flask.compat import make_response
from codemods.runtime.flask.context import bind, close_bound_session, fresh_g
from codemods.runtime.flask.session_hook import save_session

logger = logging.getLogger("strangler.flask")

Hook = Callable[..., Any]


@dataclass
class Hooks:
    """The app's request hooks and error handlers, in registration order."""

    before: list[Hook] = field(default_factory=list)
    blueprint_before: dict[str, list[Hook]] = field(default_factory=dict)  # by blueprint name
    after: list[Callable[[Response], Response]] = field(default_factory=list)
    teardown: list[Callable[[BaseException | None], Any]] = field(default_factory=list)
    errors: list[tuple[int | type[BaseException], Hook]] = field(default_factory=list)
    # a blueprint's own error handlers, by blueprint name: for its routes, before the app's
    blueprint_errors: dict[str, list[tuple[int | type[BaseException], Hook]]] = field(
        default_factory=dict
    )


@dataclass
class RequestRun:
    """Where one request is in Flask's sequence of hooks."""

    hooks: Hooks
    dispatched: bool = False  # the view's wrapper took over the hooks
    after_done: bool = False
    torn_down: bool = False

    def before(self, blueprint: str | None = None) -> Response | None:
        """The app's before hooks, then the blueprint's; the first that answers ends the
        request with its answer."""
        for hooks in (self.hooks.before, self.hooks.blueprint_before.get(blueprint or "", ())):
            for hook in hooks:
                returned = hook()
                if returned is not None:
                    return make_response(returned)
        return None

    def after(self, response: Response) -> Response:
        self.after_done = True
        for hook in reversed(self.hooks.after):
            response = hook(response)
        return response

    def teardown(self, error: BaseException | None) -> None:
        """Teardown functions (each one's failure is logged, the others still run), then the
        request's database session goes back to its pool, as Flask-SQLAlchemy does."""
        if self.torn_down:
            return
        self.torn_down = True
        for hook in reversed(self.hooks.teardown):
            try:
                hook(error)
            except Exception:
                logger.exception("teardown function %r failed", hook)
        close_bound_session()


_run: ContextVar[RequestRun | None] = ContextVar("strangler_flask_run", default=None)
# The route's deferred dependencies, with their resolved arguments, for the view's wrapper.
_deferred: ContextVar[tuple[Callable[[], Any], ...]] = ContextVar(
    "strangler_flask_deferred", default=()
)


def current_run() -> RequestRun | None:
    return _run.get()


def in_request_thread(view: Callable[..., Any], route_name: str) -> Callable[..., Any]:
    """`view` with the request's hooks around it, on the thread FastAPI runs it on. The wrapper
    keeps the view's signature, so FastAPI declares the same parameters. The route's name
    (`blueprint.view`) says whose blueprint hooks run."""
    if inspect.iscoroutinefunction(view) or getattr(view, "strangler_request_thread", False):
        return view
    blueprint = route_name.rpartition(".")[0] or None

    def run_view(*args: Any, **values: Any) -> Any:
        run = _run.get()
        if run is None:
            for call in _deferred.get():
                call()
            return view(*args, **values)
        run.dispatched = True
        try:
            answer = run.before(blueprint)
            if answer is None:
                for call in _deferred.get():
                    call()
                answer = view(*args, **values)
            if run.hooks.after:
                answer = run.after(make_response(answer))
        except BaseException as error:
            run.teardown(error)
            raise
        run.teardown(None)
        return answer

    if inspect.isgeneratorfunction(inspect.unwrap(view)):  # FastAPI streams what it yields
        wrapper = functools.update_wrapper(run_view, view)
    else:

        @functools.wraps(view)
        async def wrapper(*args: Any, **values: Any) -> Any:
            return flask_answer(await run_in_thread(run_view, *args, **values))

    wrapper.strangler_request_thread = True  # type: ignore[attr-defined]
    return wrapper


def flask_answer(answer: Any) -> Any:
    """What a view (or a decorator of the app's own around it) returned, as Flask would answer
    it where FastAPI would write a JSON list: a `(body, status, headers)` tuple goes through
    Flask's `make_response`; a response, or anything else, is left to FastAPI as before."""
    if isinstance(answer, tuple):
        return make_response(answer)
    return answer


def forget_deferred() -> None:
    """Start a route's request with no deferred calls (an in-process ASGI client may run its
    requests in one context, where the previous request's would still be)."""
    _deferred.set(())


def deferred(dependency: Callable[..., Any]) -> Callable[..., Any]:
    """A plain sync route dependency (a guard) as an async one with the same parameters: FastAPI
    resolves them, and the call itself is left to the view's wrapper (`in_request_thread`), which
    makes it on the view's thread after the before hooks. Anything else is returned as it is."""
    if not inspect.isfunction(dependency) or (
        inspect.iscoroutinefunction(dependency)
        or inspect.isgeneratorfunction(dependency)
        or inspect.isasyncgenfunction(dependency)
    ):
        return dependency
    try:
        signature = inspect.signature(dependency, eval_str=True)
    except NameError:  # an annotation FastAPI could not read either
        return dependency

    async def defer(**values: Any) -> None:
        _deferred.set((*_deferred.get(), functools.partial(dependency, **values)))

    defer.__signature__ = signature.replace(return_annotation=None)  # type: ignore[attr-defined]
    defer.__name__ = dependency.__name__
    defer.__qualname__ = dependency.__qualname__
    defer.__doc__ = dependency.__doc__
    return defer


class FlaskRequests:
    """Pure ASGI middleware: a fresh `g`, the bound request and its `RequestRun`."""

    def __init__(self, app: ASGIApp, hooks: Hooks) -> None:
        self.app = app
        self.hooks = hooks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fresh_g()
        request = Request(scope, receive)
        bind(request)
        run = RequestRun(self.hooks)
        _run.set(run)
        hooks = self.hooks
        if not (hooks.before or hooks.after or hooks.teardown):
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_outside_view(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the body of the answer a hook replaced
            if message["type"] == "http.response.start" and not run.dispatched:
                answer = await run_in_threadpool(hooks_outside_view, run, message, request)
                if answer is not None:
                    replaced = True
                    await answer(scope, receive, send)
                    return
            await send(message)

        error: BaseException | None = None
        try:
            await self.app(scope, receive, send_outside_view)
        except BaseException as raised:
            error = raised
            raise
        finally:
            if not run.torn_down and (hooks.teardown or error is not None):
                await run_in_threadpool(run.teardown, error)


def hooks_outside_view(run: RequestRun, start: Message, request: Request) -> Response | None:
    """The hooks of a request no view answered, run just before its answer starts: the answer
    that replaces it (a before hook's, or an after hook's new response), or None to send it
    with the after hooks' header changes (and the app's session cookie) applied to `start`."""
    run.dispatched = True
    answer = run.before()
    if answer is not None:
        return save_session(request, run.after(answer) if run.hooks.after else answer)
    started = Response(status_code=start["status"])
    started.raw_headers = list(start.get("headers", []))
    returned = save_session(request, run.after(started) if run.hooks.after else started)
    if returned is not started:
        return returned
    start["status"] = started.status_code
    start["headers"] = started.raw_headers
    return None


async def after_error(request: Request, response: Response) -> Response:
    """The after hooks for the answer of an error handler (the view's wrapper could not run
    them: the view raised)."""
    run = _run.get()
    if run is None or not run.dispatched or run.after_done or not run.hooks.after:
        return response  # no view ran: the middleware runs the hooks
    return await run_in_threadpool(run.after, response)
