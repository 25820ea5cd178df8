"""Django as a source framework: its rules, its analysis, the runtime its output imports, and
the legacy side of its verification (`codemods/django/verify_legacy.py`)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from codemods.django.analysis import SETTINGS_ENV, analyse
from codemods.django.registry import REGISTRY
from codemods.engine.framework import Framework

DJANGO = Framework(
    "django",
    REGISTRY,
    analyse=analyse,
    first_party=("codemods",),
    verifier="codemods.django.verify_legacy",
)


def with_settings(settings: str | None) -> Framework:
    """The framework, its analysis and verification reading this settings module (`--settings`)
    when given."""
    if settings is None:
        return DJANGO
    return replace(
        DJANGO,
        analyse=partial(analyse, settings=settings),
        verifier_env=((SETTINGS_ENV, settings),),
    )
