"""The tests' blog settings (tests/support/blog_settings.py) with the session engine and cookie
name from the environment, so one test serves the blog with each Django session backend."""

import os

from tests.support.blog_settings import *  # noqa: F403

SESSION_ENGINE = os.environ.get("BLOG_SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_NAME = os.environ.get("BLOG_SESSION_COOKIE_NAME", "sessionid")
