"""The child process of verification (`python -m codemods.engine.verify.probe SPEC OUT`): one per
app, started with the codemod so that importing the frameworks and building the legacy app
overlap the conversion. Once the output is written (its description arrives on standard input),
it imports every generated module, starts the generated app and renders `/openapi.json`, then
calls each route in-process on both sides and writes what it saw as JSON to OUT.

The legacy side is a WSGI app from an adapter module (`load`, `prepare`, `url`, `errors`, and
optional hooks such as `sandbox_process`, run first in the child; see
`codemods/flask/verify_legacy.py`); the new side is the generated package's FastAPI app.
Both sides start from the same state: the sandbox's state folders are saved after the legacy app
is prepared and put back before the new side runs (state_folders.py).
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from codemods.engine.route_conditions import NO_LEGACY_URL, NO_NEW_ROUTE
from codemods.engine.verify import jinja_cache, locate, module_cache, warm
from codemods.engine.verify.calls import (
    AJAX_HEADERS,
    LEGACY_USER_AGENT,
    NEW_USER_AGENT,
    AsgiSession,
    Body,
    Caller,
    Reply,
    call_wsgi,
)
from codemods.engine.verify.form_pass import FormPass
from codemods.engine.verify.state_folders import restore_state, save_state


class NoApp(Exception):
    """The generated package has no app: one module or one view was converted."""


class NewAppFailed(Exception):
    """Building the generated app raised (the message names the factory and the error)."""


SANDBOX = ["<sandbox>"]  # this run's sandbox folder (the spec's), named as "<sandbox>" in errors


def error_text(error: BaseException) -> str:
    """`Type: message`, and where it was raised in the generated or legacy code. A path into the
    sandbox is written from `<sandbox>`: the report says the same on every run."""
    frames = traceback.extract_tb(error.__traceback__)
    text = f"{type(error).__name__}: {error}".replace(SANDBOX[0], "<sandbox>")
    if frames:
        last = frames[-1]
        text += f" (at {Path(last.filename).name}:{last.lineno})"
    return text


def import_modules(modules: list[str]) -> dict[str, str]:
    failed = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException as error:  # a module calling sys.exit() at import fails the check
            failed[name] = error_text(error)
    return failed


def failing_twins(failed: dict[str, str], twins: dict[str, str]) -> dict[str, str]:
    """Of the generated modules that do not import, those whose legacy twin does not import
    either (a package only an optional feature needs): their twin's error, by generated name."""
    found = {}
    for name in failed:
        twin = twins.get(name)
        if twin is None:
            continue
        try:
            importlib.import_module(twin)
        except BaseException as error:
            found[name] = error_text(error)
    return found


def build_new_app(package: str, legacy: LegacySide, modules: list[str]) -> Any:
    """The generated app, at the twin of where the legacy app came from (`create_app()` of the
    package by default); else the adapter's harness around the generated routers."""
    if legacy.new_app:
        target, name = locate.split(legacy.new_app)
        try:
            module = locate.import_target(target)
            return locate.evaluate(
                module, name or ("app" if hasattr(module, "app") else "create_app()")
            )
        except BaseException as error:
            raise NewAppFailed(f"--new-app {legacy.new_app} failed: {error_text(error)}") from error
    origin = legacy.origin or {"module": "", "name": None}
    names = [origin["name"]] if origin["name"] else ["create_app()", "app"]
    if origin["module"] is not None:
        dotted = ".".join(filter(None, [package, origin["module"]]))
        twin: ModuleType | None
        try:
            twin = importlib.import_module(dotted)
        except ModuleNotFoundError:
            twin = None
        for name in names:
            if twin is not None and hasattr(twin, name.partition("(")[0]):
                try:
                    app = locate.evaluate(twin, name)
                except BaseException as error:
                    raise NewAppFailed(f"{name} failed: {error_text(error)}") from error
                if callable(app) and not isinstance(app, ModuleType):
                    return app
    harness = getattr(legacy.adapter, "harness", None)
    if harness is None:
        raise NoApp(f"{package} has neither create_app() nor app")
    loaded = [sys.modules[name] for name in modules if name in sys.modules]
    try:
        return harness(loaded, legacy.app)
    except LookupError as error:
        raise NoApp(str(error)) from error


def all_routes(routes: Any) -> Iterator[Any]:
    """Every route, inside included routers (kept as they are by recent FastAPI) and mounts."""
    for route in routes or ():
        yield route
        children = getattr(getattr(route, "original_router", route), "routes", None)
        if isinstance(children, list):
            yield from all_routes(children)


@dataclass(frozen=True)
class UnnamedRoute:
    """A route registered without a name (a Django pattern without `name=`): called at the
    legacy URL the adapter finds for its full path."""

    path: str
    name: None = None


def find_route(app: Any, call: dict[str, Any], package: str) -> Any:
    if call.get("by_path"):
        return UnnamedRoute(call["path"])
    if call.get("name"):  # registered by name (`add_api_route(..., name=...)`)
        return next(
            (
                route
                for route in all_routes(getattr(app, "routes", []))
                if getattr(route, "name", None) == call["name"]
                and call["method"] in (getattr(route, "methods", None) or ())
            ),
            None,
        )
    module = package if call["module"] in ("__init__.py", "") else package + "." + call["module"]
    module = module.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    for route in all_routes(getattr(app, "routes", [])):
        endpoint = getattr(route, "endpoint", None)
        if (
            endpoint is not None
            and getattr(endpoint, "__module__", None) == module
            and getattr(endpoint, "__name__", None) == call["handler"]
            and call["method"] in (getattr(route, "methods", None) or ())
            and str(getattr(route, "path", "")).endswith(call["path"])
        ):
            return route
    return None


def answer(send: Callable[[], Reply], errors: list[str]) -> dict[str, Any]:
    errors.clear()
    try:
        reply = send()
    except BaseException as error:
        return failed(error)
    return seen(reply, errors)


async def answer_async(send: Callable[[], Awaitable[Reply]], errors: list[str]) -> dict[str, Any]:
    errors.clear()
    try:
        reply = await send()
    except BaseException as error:
        return failed(error)
    return seen(reply, errors)


def failed(error: BaseException) -> dict[str, Any]:
    return {"status": 500, "type": None, "error": error_text(error)}


def seen(reply: Reply, errors: list[str]) -> dict[str, Any]:
    return {
        "status": reply.status_code,
        "type": reply.header("content-type"),
        "location": reply.header("location"),
        "error": errors[-1] if errors else None,
    }


class LoggedErrors(logging.Handler):
    """Exceptions the new side handled itself (an error handler answered 500) and logged."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            self.seen.append(error_text(error))


@dataclass
class LegacySide:
    app: Any = None
    adapter: Any = None
    error: str | None = None
    origin: dict[str, str | None] | None = None  # where the legacy app came from (see locate.py)
    new_app: str | None = None  # where the generated app comes from, when given
    saved: list[tuple[Path, Path]] = field(default_factory=list)
    url_map: dict[str, Any] = field(default_factory=dict)  # see `url_map`
    # the request headers of a logged-in user (the adapter's `user_headers`: its session cookie,
    # a CSRF token): a route whose anonymous answer asks for a login (the adapter's
    # `asks_login`) is called again with them on both sides
    user_headers: dict[str, str] = field(default_factory=dict)
    # who a form's valid submission is posted as (the adapter's `form_callers`: form_pass.py)
    form_callers: dict[str, Any] = field(default_factory=dict)

    def asks_login(self, seen: dict[str, Any]) -> bool:
        asks = getattr(self.adapter, "asks_login", None)
        return bool(self.user_headers) and asks is not None and bool(asks(self.app, seen))


def preimport_runtime(packages: tuple[str, ...] = ("codemods.runtime",)) -> None:
    """The runtime the generated code imports (the adapter's `RUNTIME` packages: only its own
    framework's), imported before the output exists. A module that fails here fails again,
    with its error, when a generated module imports it."""
    import pkgutil

    for name in packages:
        try:
            package = importlib.import_module(name)
        except Exception:
            continue
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            try:
                importlib.import_module(module.name)
            except Exception:
                continue


# Library modules phase two imports whatever the app (the event loop's thread pool, the cookie
# jar, SQLite's dialect, what FastAPI imports on the first lifespan and route), and httpx (a
# dependency of strangler that apps and their test helpers import): none starts a thread or
# reads the environment at import.
PHASE_TWO_LIBRARIES = (
    "httpx",
    "encodings.idna",
    "encodings.unicode_escape",
    "anyio._backends._asyncio",
    "anyio.streams.memory",
    "http.cookiejar",
    "urllib.request",
    "sqlalchemy.dialects.sqlite",
    "tomllib",
    "pydantic.v1",
    "fastapi.telemetry._runtime",
)


def preimport(adapter: str) -> ModuleType:
    """What every child imports before it knows the app: the adapter, its runtime, the libraries
    of phase two and those the adapter names (`LIBRARIES`: its framework's modules and common
    extensions, each when installed; the warm server, warm.py, does it once for many runs)."""
    module = importlib.import_module(adapter)
    preimport_runtime(getattr(module, "RUNTIME", ("codemods.runtime",)))
    for name in (*PHASE_TWO_LIBRARIES, *getattr(module, "LIBRARIES", ())):
        try:
            importlib.import_module(name)
        except ImportError:  # not installed here: phase two goes without it too
            continue
    return module


def start_legacy(spec: dict[str, Any]) -> LegacySide:
    """Phase one, while the codemod is still converting: the frameworks imported, the legacy
    app built and prepared, the sandbox's state saved, its routes listed (a Django project's
    URLconf and views imported then)."""
    legacy = LegacySide(new_app=spec.get("new_app"))
    SANDBOX[0] = spec.get("sandbox") or SANDBOX[0]
    if warm.enabled():  # the templates and modules both sides compiled in earlier runs
        jinja_cache.install(jinja_cache.folder())
        module_cache.install(module_cache.folder())
    try:
        legacy.adapter = preimport(spec["adapter"])
        sandboxed = getattr(legacy.adapter, "sandbox_process", None)
        if sandboxed is not None:  # what this process (a run's own) may change for the run
            sandboxed()
        legacy.app, legacy.origin = legacy.adapter.load(
            spec["legacy_package"], spec.get("app"), spec.get("legacy_root")
        )
        legacy.adapter.prepare(legacy.app)
        legacy.user_headers = user_headers(legacy)
        legacy.form_callers = form_callers(legacy)
        legacy.saved = save_state(spec["state"])
    except BaseException as error:
        legacy.error = error_text(error)
        legacy.app = None
    legacy.url_map = url_map(legacy)
    return legacy


def user_headers(legacy: LegacySide) -> dict[str, str]:
    """The adapter's logged-in user's request headers (none when it has no such hook or it
    fails: the routes are then compared as called anonymously only)."""
    make = getattr(legacy.adapter, "user_headers", None)
    try:
        return dict(make(legacy.app)) if make is not None else {}
    except Exception:
        return {}


def form_callers(legacy: LegacySide) -> dict[str, Any]:
    """The adapter's callers of the form pass (none when it has no such hook or it fails)."""
    make = getattr(legacy.adapter, "form_callers", None)
    try:
        return dict(make(legacy.app)) if make is not None else {}
    except Exception:
        return {}


def posted_body(legacy: LegacySide, call: dict[str, Any], token: str) -> Body | None:
    """The body of a route taking POST only whose view reads its submission (the adapter's
    `post_body`: the keys and forms the route's details name), posted on both sides in its POST
    calls (`token` "": the caller's own CSRF header stands) and as its button's form (the form
    pass's token in the body); None: no body, as before."""
    make = getattr(legacy.adapter, "post_body", None)
    if make is None or call["method"] != "POST":
        return None
    try:
        found = make(legacy.app, call, token)
    except Exception:
        return None
    return None if found is None else Body(*found)


def check_output(legacy: LegacySide, spec: dict[str, Any]) -> dict[str, Any]:
    """Phase two, once the output is written: imports, start-up, then the answers."""
    result: dict[str, Any] = {"imports": {}, "startup": None, "legacy": legacy.error, "calls": {}}
    clock = time.perf_counter()
    result["imports"] = import_modules(spec["modules"])
    result["failing_twins"] = failing_twins(result["imports"], spec.get("twins", {}))
    result["seconds"] = {"imports": time.perf_counter() - clock}
    calls: dict[str, dict[str, str]] = spec["calls"]
    urls: dict[str, str] = {}
    legacy_answers: dict[str, dict[str, Any]] = {}
    legacy_user_answers: dict[str, dict[str, Any]] = {}  # as the logged-in user
    legacy_ajax_answers: dict[str, dict[str, Any]] = {}  # with the AJAX header (`ajax` calls)
    bodies: dict[str, Body | None] = {}  # a POST-only route's body (`posted_body`)
    try:
        new_app = build_new_app(spec["package"], legacy, spec["modules"])
    except NoApp as error:
        why = f"no app to start ({error})"
        result["calls"] = {key: {"uncalled": why} for key in calls}
        return result
    except NewAppFailed as error:
        result["startup"] = str(error)
        return result
    except BaseException as error:
        result["startup"] = f"building the generated app failed: {error_text(error)}"
        return result
    # A module the factory imports inside its app context (Flask's `with app.app_context():`
    # around `from . import views` reading the config at import time) imports there.
    result["imports"] = {k: v for k, v in result["imports"].items() if k not in sys.modules}
    routes = {key: find_route(new_app, call, spec["package"]) for key, call in calls.items()}
    clock = time.perf_counter()
    forms = FormPass.start(legacy.adapter, legacy.app, legacy.form_callers)
    legacy_errors: list[str] = []
    if legacy.app is not None:
        legacy_errors = legacy.adapter.errors(legacy.app)
        anonymous = Caller(LEGACY_USER_AGENT)
        user = Caller(LEGACY_USER_AGENT, legacy.user_headers)
        ajax_callers = ajax_pair(LEGACY_USER_AGENT, legacy.user_headers)
        for key, call in calls.items():
            route = routes[key]
            if route is None:
                continue
            name, path = getattr(route, "name", ""), getattr(route, "path", "")
            url = legacy.adapter.url(legacy.app, name, call["method"], path)
            if url is None:
                continue
            urls[key] = url
            body = bodies[key] = posted_body(legacy, call, "")  # the callers' token header
            if forms is not None:
                forms.before_get()
            send = functools.partial(call_wsgi, legacy.app, anonymous, call["method"], url, body)
            legacy_answers[key] = final = answer(send, legacy_errors)
            if legacy.asks_login({**legacy_answers[key], "url": url}):
                if forms is not None:
                    forms.before_get()
                send = functools.partial(call_wsgi, legacy.app, user, call["method"], url, body)
                legacy_user_answers[key] = final = answer(send, legacy_errors)
            if forms is not None:
                posted = posted_body(legacy, call, forms.callers["token"]) if body else None
                forms.after_get(key, call, url, final, key in legacy_user_answers, posted)
            if call.get("ajax"):  # as the last call was made (anonymous, or as the user)
                ajax = ajax_callers[key in legacy_user_answers]
                send = functools.partial(call_wsgi, legacy.app, ajax, call["method"], url)
                legacy_ajax_answers[key] = answer(send, legacy_errors)
        restore_state(legacy.saved)
    else:
        forms = None
    result["seconds"]["legacy calls"] = time.perf_counter() - clock
    clock = time.perf_counter()
    new_errors: list[str] = []
    logging.getLogger().addHandler(LoggedErrors(new_errors))
    new_calls = NewCalls(new_app, legacy, calls, routes, urls, new_errors, forms, bodies)
    try:
        with asyncio.Runner() as runner:
            runner.run(
                new_calls.run(result, legacy_answers, legacy_user_answers, legacy_ajax_answers)
            )
            result["seconds"]["start-up and new calls"] = time.perf_counter() - clock
            clock = time.perf_counter()
            new_calls.form_pass(runner, result, legacy_errors)
            result["seconds"]["form pass"] = time.perf_counter() - clock
            runner.run(new_calls.stop())
    except BaseException as error:
        result["startup"] = f"start-up failed: {error_text(error)}"
        result["seconds"].setdefault("start-up and new calls", time.perf_counter() - clock)
    return result


@dataclass
class NewCalls:
    """Phase two's new side, on one event loop: the generated app's lifespan started, its
    `/openapi.json` rendered, then each call the legacy side answered made again, anonymously
    and (where the legacy side asked for a login) as the logged-in user."""

    app: Any
    legacy: LegacySide
    calls: dict[str, dict[str, str]]
    routes: dict[str, Any]
    urls: dict[str, str]
    errors: list[str]
    forms: FormPass | None = None
    bodies: dict[str, Body | None] = field(default_factory=dict)  # as the legacy calls'

    session: AsgiSession | None = None

    async def run(
        self,
        result: dict[str, Any],
        legacy_answers: dict[str, dict[str, Any]],
        legacy_user_answers: dict[str, dict[str, Any]],
        legacy_ajax_answers: dict[str, dict[str, Any]],
    ) -> None:
        self.session = session = AsgiSession(self.app)
        anonymous = Caller(NEW_USER_AGENT)
        user = Caller(NEW_USER_AGENT, self.legacy.user_headers)
        ajax_callers = ajax_pair(NEW_USER_AGENT, self.legacy.user_headers)
        await session.start()
        openapi = await answer_async(
            functools.partial(session.call, anonymous, "GET", "/openapi.json"), self.errors
        )
        if openapi["status"] != 200:
            detail = openapi["error"] or f"status {openapi['status']}"
            result["startup"] = f"/openapi.json does not render: {detail}"
        for key, call in self.calls.items():
            if self.routes[key] is None:
                result["calls"][key] = {"uncalled": NO_NEW_ROUTE}
            elif self.legacy.app is None:
                result["calls"][key] = {"uncalled": f"legacy app: {self.legacy.error}"}
            elif key not in self.urls:
                name = getattr(self.routes[key], "name", "")
                result["calls"][key] = {"uncalled": f"{NO_LEGACY_URL} {name!r}"}
            else:
                url, body = self.urls[key], self.bodies.get(key)
                send = functools.partial(session.call, anonymous, call["method"], url, body)
                new = await answer_async(send, self.errors)
                result["calls"][key] = {"url": url, "legacy": legacy_answers[key], "new": new}
                if key in legacy_user_answers:
                    send = functools.partial(session.call, user, call["method"], url, body)
                    result["calls"][key]["user"] = {
                        "legacy": legacy_user_answers[key],
                        "new": await answer_async(send, self.errors),
                    }
                if key in legacy_ajax_answers:
                    ajax = ajax_callers[key in legacy_user_answers]
                    send = functools.partial(session.call, ajax, call["method"], url)
                    result["calls"][key]["ajax"] = {
                        "legacy": legacy_ajax_answers[key],
                        "new": await answer_async(send, self.errors),
                    }

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.stop()

    def form_pass(
        self, runner: asyncio.Runner, result: dict[str, Any], legacy_errors: list[str]
    ) -> None:
        """Each kept submission posted to the legacy app, then at once to the generated one,
        each from the kept state (after every GET of both sides), the project's clock reading
        the same instant during both (form_pass.py's `clock`): a middleware writing a row a
        minute after the one it holds (Spirit's `LastSeenMiddleware`) writes on both or on
        neither. The legacy call is made
        between two steps of the event loop, as the legacy GETs were: with no loop running."""
        forms, session = self.forms, self.session
        if forms is None or session is None:
            return
        posts = [("form", key, s) for key, s in forms.submissions.items()]
        posts += [("form_outside", key, s) for key, s in forms.outside.items()]
        posts += [("form_ajax", key, s) for key, s in forms.ajax.items()]
        for kind, key, submission in posts:
            caller = Caller(LEGACY_USER_AGENT, submission.headers)
            send = functools.partial(
                call_wsgi, forms.app, caller, submission.method, submission.url, submission.body
            )
            instant = forms.clock()
            legacy = forms.post(functools.partial(answer, send, legacy_errors), instant)
            caller = Caller(NEW_USER_AGENT, submission.headers)
            send_new = functools.partial(
                session.call, caller, submission.method, submission.url, submission.body
            )
            new = runner.run(
                forms.post_async(functools.partial(answer_async, send_new, self.errors), instant)
            )
            if key in result["calls"] and "uncalled" not in result["calls"][key]:
                result["calls"][key][kind] = {
                    "method": submission.method,
                    "posted": submission.fields(),
                    "legacy": legacy,
                    "new": new,
                }
        forms.stop()


def ajax_pair(user_agent: str, user_headers: dict[str, str]) -> tuple[Caller, Caller]:
    """The callers of a route's call with the AJAX header: anonymous, then the logged-in user
    (indexed by whether the route's last call was made as the user)."""
    return (
        Caller(user_agent, AJAX_HEADERS),
        Caller(user_agent, {**user_headers, **AJAX_HEADERS}),
    )


def url_map(legacy: LegacySide) -> dict[str, Any]:
    """The legacy app's own routes (`{"rules": [...]}`, from the adapter's `url_map_rules`), or
    why there are none (`{"error": ...}`): the report is checked against them."""
    rules = getattr(legacy.adapter, "url_map_rules", None)
    if legacy.app is None or rules is None:
        return {"error": legacy.error or "the adapter lists no routes"}
    try:
        return {"rules": rules(legacy.app)}
    except BaseException as error:
        return {"error": error_text(error)}


def profiled(phase: str, work: Callable[..., Any], *arguments: Any) -> Any:
    """`work(*arguments)`; for the speed work, under cProfile (CPU time) when
    STRANGLER_VERIFY_PROFILE names a folder: its statistics go to `<pid>-<phase>.prof` there."""
    folder = os.environ.get("STRANGLER_VERIFY_PROFILE")
    if not folder:
        return work(*arguments)
    import cProfile

    profile = cProfile.Profile(time.process_time)
    try:
        return profile.runcall(work, *arguments)
    finally:
        profile.dump_stats(Path(folder) / f"{os.getpid()}-{phase}.prof")


def main(arguments: list[str]) -> int:
    """Phase one from the SPEC file, phase two from the JSON read on standard input."""
    spec_path, out_path = arguments
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    sys.path[:0] = spec["sys_path"]
    legacy = profiled("phase-one", start_legacy, spec)
    try:
        output = json.loads(sys.stdin.read())
    except ValueError:
        return 1  # cancelled: the run wrote nothing to verify
    sys.path[1:1] = output["sys_path"]
    result = profiled("phase-two", check_output, legacy, output)
    result["url_map"] = legacy.url_map
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
