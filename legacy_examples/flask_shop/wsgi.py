"""The WSGI entry point: `gunicorn legacy_examples.flask_shop.wsgi:app`."""

from legacy_examples.flask_shop import create_app

app = create_app()
