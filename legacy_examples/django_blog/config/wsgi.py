"""WSGI config for the blog project.

gunicorn legacy_examples.django_blog.config.wsgi:application
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legacy_examples.django_blog.config.settings")

application = get_wsgi_application()
