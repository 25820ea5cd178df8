"""The legacy side of verification for Flask (run in the verification's child process): load the
app, create its tables in the sandbox's empty database, build a URL per endpoint, and keep the
exceptions its views raise. See codemods/engine/verify/probe.py."""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
import urllib.parse
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from codemods.engine.submission_keys import TYPED_TEXT
from codemods.engine.verify import locate

Origin = dict[str, str | None]  # {"module": dotted inside the package or None, "name": ...}

# The runtime packages generated Flask code imports (the child imports them while the codemod
# converts).
RUNTIME = ("codemods.runtime.common", "codemods.runtime.flask")
# Imported before the app is known (by the warm verification server once, else while the codemod
# converts), each when installed: Flask's extensions and libraries common in the apps it
# verifies (none configures anything at import).
LIBRARIES = (
    "flask.views",
    "flask_login",
    "flask_sqlalchemy",
    "flask_sqlalchemy.cli",
    "flask_wtf",
    "flask_wtf.file",
    "marshmallow",
    "sqlite3",
    "wtforms",
)
SAMPLES: dict[str, Any] = {
    "IntegerConverter": 1,
    "FloatConverter": 1.0,
    "UUIDConverter": uuid.UUID(int=1),
}


FACTORIES = ("create_app", "make_app")  # what `flask` itself calls with no argument
ATTRIBUTES = ("app", "application")
PREFERRED = ("app", "wsgi", "main", "server", "application", "web", "factory")
MARKERS = ("Flask(", "def create_app", "def make_app")


# Werkzeug's password hashes in the sandbox, as a test run would make them: its defaults
# (scrypt with N = 2**15, PBKDF2 with a million iterations) cost 0.1 to 0.3 s of CPU per hash, on
# both sides (flask-monitoringdashboard's login hashes its password on each call: a third of
# its child's CPU).
FAST_SCRYPT = "scrypt:1024:8:1"
FAST_PBKDF2_ITERATIONS = 1000


def sandbox_process() -> None:
    """What the verification's child changes in its own process before the legacy app is
    loaded (probe.py): Werkzeug's new password hashes made cheap."""
    fast_password_hashing()


def fast_password_hashing() -> None:
    """New Werkzeug password hashes made cheap for the run: its default method (scrypt) with a
    small cost and PBKDF2's default iterations lowered; a hash already stored is still checked
    with the parameters it names."""
    try:
        from werkzeug import security
    except ImportError:
        return
    security.DEFAULT_PBKDF2_ITERATIONS = FAST_PBKDF2_ITERATIONS
    make = security.generate_password_hash
    if make.__defaults__ and make.__defaults__[0] == "scrypt":
        make.__defaults__ = (FAST_SCRYPT, *make.__defaults__[1:])


def load(package: str, spec: str | None = None, root: str | None = None) -> tuple[Any, Origin]:
    """The legacy app and where it came from: `spec` as `flask --app` takes it, else $FLASK_APP,
    else the first module of the package (under `root`) that holds a Flask app or a factory
    callable with no argument, the package itself first."""
    spec = spec or os.environ.get("FLASK_APP")
    if spec:
        target, name = locate.split(spec)
        module = locate.import_target(target)
        if name is None:
            app, name = best_app(module)
        else:
            app = locate.evaluate(module, name)
        if app is None or not hasattr(app, "url_map"):
            raise LookupError(f"{spec} is not a Flask app")
        return app, origin_of(app, module.__name__, name, package)
    tried = []
    for dotted in candidates(package, Path(root) if root else None):
        module = importlib.import_module(dotted)
        app, name = best_app(module)
        if app is not None:
            return app, origin_of(app, dotted, name, package)
        tried.append(dotted)
    raise LookupError(
        f"no Flask app or create_app() in {', '.join(tried) or package}: "
        "name it with --app (as `flask --app` takes it)"
    )


def origin_of(app: Any, module: str, name: str, package: str) -> Origin:
    """Where the new side finds its twin: the legacy package's module that holds `app`, or the
    factory that made it."""
    inside = locate.relative(module, package)
    if inside is not None:
        return {"module": inside, "name": name}
    for loaded in list(sys.modules.values()):  # a build file that imported the package's app
        where = locate.relative(getattr(loaded, "__name__", ""), package)
        if where is None:
            continue
        for attribute, value in list(vars(loaded).items()):
            if value is app and attribute in ATTRIBUTES:
                return {"module": where, "name": attribute}
    return {"module": None, "name": name}


def best_app(module: ModuleType) -> tuple[Any, str]:
    """The app `flask` would find in `module`: `app`/`application`, the single Flask instance,
    else what `create_app()`/`make_app()` returns; (None, "") when none."""
    from flask import Flask

    for name in ATTRIBUTES:
        if isinstance(getattr(module, name, None), Flask):
            return getattr(module, name), name
    found = [(n, v) for n, v in vars(module).items() if isinstance(v, Flask)]
    if len(found) == 1:
        return found[0][1], found[0][0]
    for name in FACTORIES:
        factory = getattr(module, name, None)
        if inspect.isfunction(factory) and not _required(factory):
            app = factory()
            if isinstance(app, Flask):
                return app, f"{name}()"
    return None, ""


def _required(function: Any) -> list[str]:
    return [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


def candidates(package: str, root: Path | None) -> list[str]:
    """The package, then its modules that mention a Flask app or a factory, likeliest first."""
    found = [package]
    if root is None or not root.is_dir():
        return found
    ranked = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] in ("__init__", "__main__", "conftest") or any(
            p.startswith(("test", ".")) for p in parts
        ):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if any(marker in text for marker in MARKERS):
            rank = PREFERRED.index(parts[-1]) if parts[-1] in PREFERRED else len(PREFERRED)
            ranked.append((len(parts), rank, ".".join([package, *parts])))
    return found + [dotted for *_, dotted in sorted(ranked)]


def prepare(app: Any) -> None:
    """Flask-SQLAlchemy's tables, when the sandbox's database lacks them."""
    database = app.extensions.get("sqlalchemy")
    if database is not None and hasattr(database, "create_all"):
        with app.app_context():
            database.create_all()


def url_map_rules(app: Any) -> list[dict[str, Any]]:
    """Every rule of the app's `url_map` with its view's module, name and first line (the view
    unwrapped; a class-based view's class), for checking the report against it."""
    import inspect

    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        owner = getattr(view, "view_class", None) or (inspect.unwrap(view) if view else None)
        code = getattr(owner, "__code__", None)
        found.append(
            {
                "rule": rule.rule,
                "endpoint": rule.endpoint,
                "methods": sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"}),
                "module": getattr(owner, "__module__", None),
                "name": getattr(owner, "__name__", None),
                "line": getattr(code, "co_firstlineno", None),
            }
        )
    return found


def errors(app: Any) -> list[str]:
    """The exceptions views raise, as they are raised (the answer is still Flask's own)."""
    from flask import got_request_exception

    seen: list[str] = []

    def record(sender: Any, exception: BaseException, **_: Any) -> None:
        seen.append(f"{type(exception).__name__}: {exception}")

    got_request_exception.connect(record, app, weak=False)
    return seen


def post_body(app: Any, call: dict[str, Any], token: str) -> tuple[bytes, str] | None:
    """What the view of a route taking POST only reads of the form (post_keys.py), each key
    with the same typed text, urlencoded as a browser posts a form; None when it reads none."""
    keys = [key for key, _ in call.get("post_keys") or ()]
    if not keys:
        return None
    body = urllib.parse.urlencode([(key, TYPED_TEXT) for key in keys]).encode("ascii")
    return body, "application/x-www-form-urlencoded"


def url(app: Any, endpoint: str, method: str, path: str = "") -> str | None:
    """A URL of `endpoint` for `method`: the rule's defaults, a primary key of the table its
    argument names (`product_id` -> `product`/`products`), or a sample of the converter.

    An endpoint named without its blueprint (`login` for `dashboard.login`, a blueprint named at
    run time) is the one whose rule ends with the new route's `path`."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    if not rules and endpoint:
        rules = [
            r
            for r in app.url_map.iter_rules()
            if r.endpoint.endswith("." + endpoint) and shape(r.rule).endswith(shape(path))
        ]
    rules = [r for r in rules if method in (r.methods or ())] or rules
    if not rules:
        return None
    rule = rules[0]
    endpoint = rule.endpoint
    values: dict[str, Any] = {}  # argument -> a row's key, a default elsewhere, or a sample
    for argument in rule.arguments:
        if rule.defaults and argument in rule.defaults:
            continue
        converter = rule._converters.get(argument)
        kind = type(converter).__name__
        found = _row_value(app, argument)
        if found is None:
            found = _default_elsewhere(app, argument, converter)
        values[argument] = SAMPLES.get(kind, "x") if found is None else found
        if kind == "AnyConverter":
            values[argument] = sorted(getattr(converter, "items", ["x"]))[0]
    try:
        adapter = app.url_map.bind("localhost")
        return str(adapter.build(endpoint, values, method=method, force_external=False))
    except Exception:
        return None


def _default_elsewhere(app: Any, argument: str, converter: Any) -> Any:
    """The value another rule of the app gives the same argument as its default (rq-dashboard's
    `/` with `defaults={"instance_number": 0}` names the one instance `/<int:instance_number>/…`
    rules can reach, where the sample `1` is out of range), when the converter accepts it."""
    for rule in app.url_map.iter_rules():
        if not rule.defaults or argument not in rule.defaults:
            continue
        value = rule.defaults[argument]
        try:
            text = converter.to_url(value)
            converter.to_python(text)
        except Exception:
            continue
        if re.fullmatch(converter.regex, text):
            return value
    return None


def _row_value(app: Any, argument: str) -> Any:
    database = app.extensions.get("sqlalchemy")
    if database is None or not argument.endswith("id"):
        return None
    stem = argument.removesuffix("id").rstrip("_")
    try:
        with app.app_context():
            tables = database.metadata.tables
            for name in (stem, stem + "s", stem + "es"):
                table = tables.get(name)
                if table is not None and len(table.primary_key.columns) == 1:
                    column = next(iter(table.primary_key.columns))
                    select = database.select(column).order_by(column).limit(1)
                    return database.session.scalar(select)
    except Exception:
        return None
    return None


_PLACEHOLDER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>|\{([^{}:]+)(?::[^{}]*)?\}")


def shape(rule: str) -> str:
    """A Werkzeug rule or a Starlette path with its placeholders reduced to `{}`."""
    return _PLACEHOLDER.sub("{}", rule)


def rules(app: Any) -> list[tuple[str, str]]:
    """(endpoint, shape of the rule) for every rule of the app."""
    return [(r.endpoint, shape(r.rule)) for r in app.url_map.iter_rules()]


def harness(modules: list[ModuleType], app: Any) -> Any:
    """The new side when the generated package has no app of its own (see verify_harness.py)."""
    from codemods.flask.verify_harness import harness as build

    return build(modules, app)
