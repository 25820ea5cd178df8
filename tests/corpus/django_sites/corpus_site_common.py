"""The settings every corpus site shares: a SQLite database in the working folder (verification
moves it into its sandbox), Django's contrib apps, templates from the apps' folders (and, for a
site that asks, corpus_site_templates/: the site-level `base.html` a real project gives the apps
whose templates extend it)."""

from __future__ import annotations

import os
from typing import Any

CONTRIB_APPS = (
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
)
MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
)
CONTEXT_PROCESSORS = (
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
)
SITE_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus_site_templates")


def site_settings(
    apps: tuple[str, ...],
    *,
    middleware: tuple[str, ...] = (),
    context_processors: tuple[str, ...] = (),
    site_templates: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """The settings of a site serving `apps` (after Django's contrib apps); `extra` adds or
    replaces settings; `site_templates` puts the site's own templates (SITE_TEMPLATES) before the
    apps'. Each site sets its own ROOT_URLCONF, as a plain assignment (the codemod
    reads it from the file)."""
    settings: dict[str, Any] = {
        "SECRET_KEY": "corpus-site-key-for-tests-only",
        "DEBUG": False,
        "ALLOWED_HOSTS": ["*"],
        "INSTALLED_APPS": [*CONTRIB_APPS, *apps],
        "MIDDLEWARE": [*MIDDLEWARE, *middleware],
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [SITE_TEMPLATES] if site_templates else [],
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": [*CONTEXT_PROCESSORS, *context_processors]},
            }
        ],
        "DATABASES": {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.path.abspath("corpus_site.sqlite3"),
            }
        },
        "DEFAULT_AUTO_FIELD": "django.db.models.AutoField",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "STATIC_URL": "/static/",
        "MEDIA_URL": "/media/",
        "MEDIA_ROOT": os.path.abspath("media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SITE_ID": 1,
    }
    settings.update(extra)
    return settings
