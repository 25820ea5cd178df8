#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

# The project lives inside the repository's `legacy_examples` package: make the repository root
# importable so `python legacy_examples/django_blog/manage.py ...` works from any directory.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legacy_examples.django_blog.config.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
