"""`flask.request` -> FastAPI parameters and Starlette `Request` (docs/mappings.md, "Responses and
behaviour"; issue 4, request data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A Werkzeug MultiDict-like attribute of the request that becomes declared parameters."""

    attribute: str
    prefix: str  # parameter name prefix
    fastapi: str  # Query, Form, Header, Cookie
    multi: bool  # has getlist


SOURCES: dict[str, Source] = {
    "args": Source("args", "arg", "Query", True),
    "form": Source("form", "form", "Form", True),
    "values": Source("values", "arg", "Query", True),
    "headers": Source("headers", "header", "Header", False),
    "cookies": Source("cookies", "cookie", "Cookie", False),
}

# request.get_json(...) / request.json -> dependency of the runtime module
JSON_DEPENDENCIES: dict[str, str] = {
    "plain": "json_body",
    "silent": "json_body_silent",
    "force": "json_body_forced",
}

# Attributes with a direct Starlette expression (`{r}` stands for the request parameter).
ATTRIBUTES: dict[str, str] = {
    "method": "{r}.method",
    "path": "{r}.url.path",
    "full_path": '{r}.url.path + "?" + {r}.url.query',  # Werkzeug keeps the "?" when empty
    # the mount point (WSGI's SCRIPT_NAME, ASGI's root_path), without its trailing slash
    "script_root": '{r}.scope.get("root_path", "").rstrip("/")',
    "url": "str({r}.url)",
    "base_url": 'str({r}.url).split("?")[0]',
    "url_root": "str({r}.base_url)",
    "host_url": "str({r}.base_url)",
    "host": '{r}.headers.get("host", "")',
    "scheme": "{r}.url.scheme",
    "query_string": "{r}.url.query.encode()",
    "remote_addr": "({r}.client.host if {r}.client else None)",
    "user_agent.string": '{r}.headers.get("user-agent", "")',
    "content_type": '{r}.headers.get("content-type")',
    "mimetype": '{r}.headers.get("content-type", "").split(";")[0]',
    "is_json": '{r}.headers.get("content-type", "").split(";")[0] == "application/json"',
    "is_secure": '{r}.url.scheme == "https"',
    "view_args": "{r}.path_params",  # the converted values of the route's variables
    # the matched route's name: generated routes are named as Flask names their endpoints
    "endpoint": 'getattr({r}.scope.get("route"), "name", None)',
}

# Attributes the runtime computes from the Starlette request: `request.X` -> `F(request)`, the
# function F of codemods/runtime/flask/context.py (Werkzeug's own types where Flask gives them).
REQUEST_FUNCTIONS: dict[str, str] = {
    "environ": "request_environ",  # a WSGI environ built from the ASGI scope
    "accept_languages": "accept_languages",  # Werkzeug's LanguageAccept (`best_match`)
    "accept_mimetypes": "accept_mimetypes",  # MIMEAccept
    "accept_charsets": "accept_charsets",  # CharsetAccept
    "accept_encodings": "accept_encodings",  # Accept
    "blueprint": "request_blueprint",  # the matched route's name without its view's
}

# Attributes that need a person: why.
MANUAL: dict[str, str] = {
    "stream": "request.stream: use `request.stream()` in an async handler",
}
