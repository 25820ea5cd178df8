"""ASGI config for the blog project.

uvicorn legacy_examples.django_blog.config.asgi:application
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legacy_examples.django_blog.config.settings")

application = get_asgi_application()
