"""Wire a FastAPI app to the legacy Django project: one call in the generated `create_app()`.
Transitional.

    app = FastAPI()
    install(app)                     # DJANGO_SETTINGS_MODULE, or install(app, "project.settings")
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.exceptions import HTTPException

from codemods.runtime.django.bootstrap import setup_django
from codemods.runtime.django.middleware import DjangoMiddleware
from codemods.runtime.django.responses import (
    DJANGO_ERRORS,
    DjangoResponse,
    send_django_error_page,
    send_django_response,
    send_django_routing_error,
)


def install(app: FastAPI, settings_module: str | None = None) -> FastAPI:
    """Set Django up, finish Django requests on every response, answer `DjangoResponse` and
    Django's `Http404`/`PermissionDenied`/`BadRequest`/`SuspiciousOperation` as Django does, and
    a path no route matches (404, or `APPEND_SLASH`'s 301 to the slashed path) or a method a
    route refuses (405) with Django's answers."""
    setup_django(settings_module)
    app.add_middleware(DjangoMiddleware)
    app.add_exception_handler(DjangoResponse, send_django_response)
    for error in DJANGO_ERRORS:
        app.add_exception_handler(error, send_django_error_page)
    app.add_exception_handler(HTTPException, send_django_routing_error)
    app.router.redirect_slashes = False  # APPEND_SLASH's 301 instead of Starlette's 307
    return app
