"""Django set up inside the FastAPI process, so the runtime can use Django's own sessions, auth,
CSRF, messages and templates. Transitional: gone once the legacy Django project is gone.

    setup_django("project.settings")   # or DJANGO_SETTINGS_MODULE from the environment

It is what the legacy `wsgi.py` does before serving (`os.environ.setdefault` then
`django.setup()`); calling it again, or after Django was set up elsewhere (pytest-django, the
front's legacy mount in the same process), does nothing.
"""

from __future__ import annotations

import os

import django
from django.apps import apps

SETTINGS_ENV = "DJANGO_SETTINGS_MODULE"


def setup_django(settings_module: str | None = None) -> None:
    """Configure Django from `settings_module` (default: `DJANGO_SETTINGS_MODULE`) once."""
    if apps.ready:
        return
    if settings_module:
        os.environ.setdefault(SETTINGS_ENV, settings_module)
    if not os.environ.get(SETTINGS_ENV):
        raise RuntimeError(
            f"Django is not configured: pass the settings module or set {SETTINGS_ENV}"
        )
    django.setup(set_prefix=False)
