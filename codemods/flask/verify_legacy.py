"""The legacy side of verification for Flask (run in the verification's child process): load the
app, create its tables in the sandbox's empty database, build a URL per endpoint, and keep the
exceptions its views raise. See codemods/engine/verify/probe.py."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

# The runtime packages generated Flask code imports (the child imports them while the codemod
# converts).
RUNTIME = ("codemods.runtime.common", "codemods.runtime.flask")
SAMPLES: dict[str, Any] = {
    "IntegerConverter": 1,
    "FloatConverter": 1.0,
    "UUIDConverter": uuid.UUID(int=1),
}


def load(package: str) -> Any:
    """The app: `create_app()` of the package, else an `app` in it or in its `app`/`wsgi`
    module."""
    module = importlib.import_module(package)
    factory = getattr(module, "create_app", None)
    if callable(factory):
        return factory()
    for name in (package, f"{package}.app", f"{package}.wsgi"):
        try:
            app = getattr(importlib.import_module(name), "app", None)
        except ImportError:
            continue
        if app is not None:
            return app
    raise LookupError(f"{package} has no create_app() and no app")


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


def url(app: Any, endpoint: str, method: str) -> str | None:
    """A URL of `endpoint` for `method`: the rule's defaults, a primary key of the table its
    argument names (`product_id` -> `product`/`products`), or a sample of the converter."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    rules = [r for r in rules if method in (r.methods or ())] or rules
    if not rules:
        return None
    rule = rules[0]
    values: dict[str, Any] = {}
    for argument in rule.arguments:
        if rule.defaults and argument in rule.defaults:
            continue
        converter = rule._converters.get(argument)
        kind = type(converter).__name__
        values[argument] = _row_value(app, argument) or SAMPLES.get(kind, "x")
        if kind == "AnyConverter":
            values[argument] = sorted(getattr(converter, "items", ["x"]))[0]
    try:
        adapter = app.url_map.bind("localhost")
        return str(adapter.build(endpoint, values, method=method, force_external=False))
    except Exception:
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
