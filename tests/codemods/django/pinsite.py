"""The small Django project `pinsite` the end-to-end form tests convert: its settings (the
database in `$PINSITE_DB`), its URLconf serving the app `pinsite.notes` under `notes/`, and the
start of a script asking Django and the generated app the same requests (converted_and_asked)."""

from __future__ import annotations

SETTINGS = "pinsite.settings"
# the project but for its app's modules (notes/models.py, forms.py, views.py, urls.py, templates)
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "pins-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "pinsite.notes",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "pinsite.urls"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("PINSITE_DB", "pinsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("notes/", include("pinsite.notes.urls"))]
        """,
    "notes/__init__.py": "",
}
# the script's imports, once Django is set up and the database migrated
SIDES_START = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app
"""
