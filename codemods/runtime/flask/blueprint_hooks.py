"""A blueprint's own hooks on an APIRouter, put on the app the way Flask's `register_blueprint`
does (permanent: the legacy hooks keep running as written):

    @before_app_request(bp)          # was @bp.before_app_request: every request of the app
    @before_blueprint_request(bp)    # was @bp.before_request: the blueprint's routes only
    @app_context_processor(bp)       # was @bp.app_context_processor: every template
    @blueprint_context_processor(bp) # was @bp.context_processor: the blueprint's templates
    @blueprint_errorhandler(bp, X)   # was @bp.errorhandler(X): errors of the blueprint's routes
    @app_errorhandler(bp, X)         # was @bp.app_errorhandler(X): every error of the app
    @app_template_filter(bp, "n")    # was @bp.app_template_filter("n"): every template's
    add_app_template_filter(bp, f)   # was bp.add_app_template_filter(f) (globals, tests too)
    register_blueprint(app, bp)      # was app.register_blueprint(bp)
    registered_blueprints(app)       # was current_app.blueprints: name -> name, url_prefix

`register_blueprint` includes the router and appends its app-wide hooks to the app's, so they
run in Flask's order: hooks of the app and of its blueprints in the order they were registered.
A blueprint-only `before_request` is a dependency of the blueprint's routes, after the
router's own dependencies, before the route's. A blueprint's own error handlers answer the
errors its routes raise before the app's do (Flask's lookup: by status code, then by class).
Context processors are read by `flask_templates` (`template_context`); the view's own values
win, as in Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import APIRoute

from codemods.runtime.flask.app_hooks import before_request, errorhandler
from codemods.runtime.flask.app_hooks import hooks_of as app_hooks_of

F = TypeVar("F", bound=Callable[..., Any])
ContextProcessor = Callable[[], dict[str, Any]]


@dataclass
class BlueprintHooks:
    """What a blueprint asks of the app it is registered on."""

    before_app: list[Callable[[], Any]] = field(default_factory=list)
    before: list[Callable[[], Any]] = field(default_factory=list)
    app_processors: list[ContextProcessor] = field(default_factory=list)
    processors: list[ContextProcessor] = field(default_factory=list)
    errors: list[tuple[int | type[BaseException], Callable[..., Any]]] = field(default_factory=list)
    app_errors: list[tuple[int | type[BaseException], Callable[..., Any]]] = field(
        default_factory=list
    )
    # the blueprint's own template folders (`Blueprint(..., template_folder="templates")`)
    template_folders: list[str] = field(default_factory=list)
    # ("filters" | "globals" | "tests", name or None for the function's, function)
    template_registrations: list[tuple[str, str | None, Callable[..., Any]]] = field(
        default_factory=list
    )


def hooks_of(router: APIRouter) -> BlueprintHooks:
    found = getattr(router, "strangler_blueprint_hooks", None)
    if isinstance(found, BlueprintHooks):
        return found
    hooks = BlueprintHooks()
    router.strangler_blueprint_hooks = hooks  # type: ignore[attr-defined]
    return hooks


def before_app_request(router: APIRouter) -> Callable[[F], F]:
    def register(function: F) -> F:
        hooks_of(router).before_app.append(function)
        return function

    return register


def app_context_processor(router: APIRouter) -> Callable[[F], F]:
    def register(function: F) -> F:
        hooks_of(router).app_processors.append(function)
        return function

    return register


def blueprint_context_processor(router: APIRouter) -> Callable[[F], F]:
    def register(function: F) -> F:
        hooks_of(router).processors.append(function)
        return function

    return register


def blueprint_templates(router: APIRouter, root: str, folder: str) -> APIRouter:
    """`Blueprint(..., template_folder=folder)`: the folder (under the legacy module's `root`)
    is searched for the app's templates after the app's own folder, as Flask's loader does once
    the blueprint is registered. Returns the router."""
    import os

    hooks_of(router).template_folders.append(os.path.join(root, folder))
    return router


def template_folders(app: FastAPI) -> list[str]:
    """The template folders of the blueprints registered on the app, in registration order."""
    found = getattr(app.state, "flask_blueprint_template_folders", None)
    if isinstance(found, list):
        return found
    folders: list[str] = []
    app.state.flask_blueprint_template_folders = folders
    return folders


def _app_template(kind: str, router: APIRouter, name: str | F | None) -> Any:
    """`@bp.app_template_filter`, `@bp.app_template_filter()`, `@bp.app_template_filter("n")`:
    put on the app's templates when the blueprint is registered, as in Flask."""

    def register(function: F, key: str | None = None) -> F:
        hooks_of(router).template_registrations.append((kind, key, function))
        return function

    return named_decorator(register, name)


def named_decorator(register: Callable[[F, str | None], F], name: str | F | None) -> Any:
    """Flask's decorators used bare (`@app.template_filter`), called (`()`) or given a name
    (`("n")`): `register(function, name)` in each case."""
    if callable(name):
        return register(name, None)
    return lambda function: register(function, name)


def app_template_filter(router: APIRouter, name: str | F | None = None) -> Any:
    return _app_template("filters", router, name)


def app_template_global(router: APIRouter, name: str | F | None = None) -> Any:
    return _app_template("globals", router, name)


def app_template_test(router: APIRouter, name: str | F | None = None) -> Any:
    return _app_template("tests", router, name)


def add_app_template_filter(router: APIRouter, function: F, name: str | None = None) -> None:
    _app_template("filters", router, name)(function)


def add_app_template_global(router: APIRouter, function: F, name: str | None = None) -> None:
    _app_template("globals", router, name)(function)


def add_app_template_test(router: APIRouter, function: F, name: str | None = None) -> None:
    _app_template("tests", router, name)(function)


def before_blueprint_request(router: APIRouter) -> Callable[[F], F]:
    """The blueprint's own before hook: it runs after the app's, for the blueprint's routes
    only (those declared before the hook included), on the view's thread."""

    def register(function: F) -> F:
        hooks_of(router).before.append(function)
        return function

    return register


def blueprint_errorhandler(router: APIRouter, key: int | type[BaseException]) -> Callable[[F], F]:
    """The blueprint's own error handler: for what its routes raise, before the app's."""

    def register(function: F) -> F:
        hooks_of(router).errors.append((key, function))
        return function

    return register


def app_errorhandler(router: APIRouter, key: int | type[BaseException]) -> Callable[[F], F]:
    """An error handler of the whole app, put on it when the blueprint is registered."""

    def register(function: F) -> F:
        hooks_of(router).app_errors.append((key, function))
        return function

    return register


def blueprint_name(router: APIRouter) -> str | None:
    """The Flask name of a generated router: its routes are named `<blueprint>.<view>`."""
    names = {
        route.name.rpartition(".")[0]
        for route in router.routes
        if isinstance(route, APIRoute) and "." in route.name
    }
    return names.pop() if len(names) == 1 else None


@dataclass(frozen=True)
class RegisteredBlueprint:
    """What a reader of Flask's `app.blueprints[name]` gets of the blueprint: its name and its
    own `url_prefix` (the `Blueprint(url_prefix=...)` a generated router keeps as its
    `prefix`; None without one, as in Flask)."""

    name: str
    url_prefix: str | None


def registered_blueprints(app: FastAPI) -> dict[str, RegisteredBlueprint]:
    """Flask's `app.blueprints`: the blueprints `register_blueprint` registered on the app, by
    name (a router whose routes are named `<blueprint>.<view>`; one without routes has lost its
    name in the conversion and is not listed)."""
    found = getattr(app.state, "flask_blueprints", None)
    if isinstance(found, dict):
        return found
    blueprints: dict[str, RegisteredBlueprint] = {}
    app.state.flask_blueprints = blueprints
    return blueprints


def register_blueprint(app: FastAPI, router: APIRouter, **options: Any) -> None:
    """`app.register_blueprint(bp)`: the router's routes, then its hooks on the app."""
    app.include_router(router, **options)
    name = blueprint_name(router)
    if name is not None:
        registered_blueprints(app).setdefault(
            name, RegisteredBlueprint(name, router.prefix or None)
        )
    hooks = hooks_of(router)
    for hook in hooks.before_app:
        before_request(app)(hook)
    if hooks.before:
        name = blueprint_name(router)
        if name is None:
            raise ValueError("a blueprint's own before hooks need its routes named 'blueprint.x'")
        app_hooks_of(app).blueprint_before.setdefault(name, []).extend(hooks.before)
    for key, handler in hooks.app_errors:
        errorhandler(app, key)(handler)
    if hooks.errors:
        name = blueprint_name(router)
        if name is None:
            raise ValueError("a blueprint's own error handlers need its routes named 'blueprint.x'")
        app_hooks_of(app).blueprint_errors.setdefault(name, []).extend(hooks.errors)
    template_folders(app).extend(
        f for f in hooks.template_folders if f not in template_folders(app)
    )
    if hooks.template_registrations:
        from codemods.runtime.flask.templates import register_template  # it imports this module

        for kind, name, function in hooks.template_registrations:
            register_template(kind, app, name)(function)
    processors = context_processors(app)
    processors.setdefault(None, []).extend(hooks.app_processors)
    if hooks.processors:
        processors.setdefault(blueprint_name(router), []).extend(hooks.processors)


def context_processors(app: FastAPI) -> dict[str | None, list[ContextProcessor]]:
    """The app's context processors: app-wide under None, the others by blueprint name."""
    found = getattr(app.state, "flask_context_processors", None)
    if isinstance(found, dict):
        return found
    processors: dict[str | None, list[ContextProcessor]] = {}
    app.state.flask_context_processors = processors
    return processors


def template_context(request: Request) -> dict[str, Any]:
    """What the app's context processors give a template rendered for this request: the
    app-wide ones, then the blueprint's (Flask's `update_template_context`)."""
    found = getattr(request.app.state, "flask_context_processors", None)
    if not found:
        return {}
    route = request.scope.get("route")
    endpoint = getattr(route, "name", None) or ""
    blueprint = endpoint.rpartition(".")[0] or None
    context: dict[str, Any] = {}
    for name in (None, blueprint) if blueprint else (None,):
        for processor in found.get(name, ()):
            context.update(processor())
    return context
