"""django-spirit's site: the forum at the root, with the apps, middleware, caches and search
index of Spirit's own project template (spirit/extra/project_template), on local files."""

import os

from corpus_site_common import site_settings

SPIRIT_APPS = (
    "django.contrib.humanize",
    "spirit.core",
    "spirit.admin",
    "spirit.search",
    "spirit.user",
    "spirit.user.admin",
    "spirit.user.auth",
    "spirit.category",
    "spirit.category.admin",
    "spirit.topic",
    "spirit.topic.admin",
    "spirit.topic.favorite",
    "spirit.topic.moderate",
    "spirit.topic.notification",
    "spirit.topic.private",
    "spirit.topic.unread",
    "spirit.comment",
    "spirit.comment.bookmark",
    "spirit.comment.flag",
    "spirit.comment.flag.admin",
    "spirit.comment.history",
    "spirit.comment.like",
    "spirit.comment.poll",
    "djconfig",
    "haystack",
)

globals().update(
    site_settings(
        SPIRIT_APPS,
        middleware=(
            "spirit.user.middleware.TimezoneMiddleware",
            "spirit.user.middleware.LastIPMiddleware",
            "spirit.user.middleware.LastSeenMiddleware",
            "spirit.user.middleware.ActiveUserMiddleware",
            "spirit.core.middleware.PrivateForumMiddleware",
            "djconfig.middleware.DjConfigMiddleware",
        ),
        context_processors=("djconfig.context_processors.config",),
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "st_rate_limit": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "spirit_rl_cache",
                "TIMEOUT": None,
            },
        },
        AUTHENTICATION_BACKENDS=[
            "spirit.user.auth.backends.UsernameAuthBackend",
            "spirit.user.auth.backends.EmailAuthBackend",
        ],
        HAYSTACK_CONNECTIONS={
            "default": {
                "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
                "PATH": os.path.abspath("st_search"),
            }
        },
        HAYSTACK_SIGNAL_PROCESSOR="spirit.search.signals.RealtimeSignalProcessor",
        ST_SITE_URL="http://localhost/",
        LOGIN_URL="spirit:user:auth:login",
        LOGIN_REDIRECT_URL="spirit:user:update",
        LOGOUT_REDIRECT_URL="spirit:index",
    )
)
ROOT_URLCONF = "corpus_site_spirit_urls"
