"""What the Flask rules hand to the rules after them on a module: one record per writing rule,
which alone may write it (`owner`, checked by `Rule.own`); a reader names the writer in its
`requires` or `uses`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from codemods.engine.state import Facts
from codemods.flask.tables.responses import RUNTIME


@dataclass
class RouteFacts(Facts):
    owner: ClassVar[str] = "routes"
    # Router variable -> its Flask blueprint name ("" for the app itself).
    blueprint_names: dict[str, str] = field(default_factory=dict)


@dataclass
class ContextBinding(Facts):
    """What the module's helpers read of the request's context, so its routers bind it:
    "session" (the session and the request), "request" (the request alone) or None."""

    owner: ClassVar[str] = "flask-context"
    binding: str | None = None


@dataclass
class ResponseFacts(Facts):
    owner: ClassVar[str] = "responses"
    # Whether `url_for`/`render_template` outside a view read the request bound to the context.
    binds_request: bool = False


@dataclass
class AppFactoryFacts(Facts):
    owner: ClassVar[str] = "app-factory"
    # Set-up functions taking the app whose every use of it this rule converts
    # (`register_error_handlers(app)`): their calls stay.
    setup_functions: set[str] = field(default_factory=set)
    # Functions taking `app` that the module calls at import with the package's factory app
    # (`make_celery(flask_app)`): their `app` is the generated FastAPI app.
    app_functions: set[str] = field(default_factory=set)


@dataclass
class LoginFacts(Facts):
    owner: ClassVar[str] = "login"
    # The module the module's views import `require_login`/`request_user` from.
    source: str = RUNTIME


@dataclass
class RequestFacts(Facts):
    owner: ClassVar[str] = "request-data"
    # The upload parameters it declared (their FileStorage methods are the uploads rule's).
    upload_params: set[str] = field(default_factory=set)
    # Functions other than views reading the request: the leftovers rule marks their calls.
    request_helpers: set[str] = field(default_factory=set)
