"""Django as a source framework: its rules, its analysis, and the runtime its output imports.
The output is not verified yet (`verifier=None`): every route's `verified` is null."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from codemods.django.analysis import analyse
from codemods.django.registry import REGISTRY
from codemods.engine.framework import Framework

DJANGO = Framework("django", REGISTRY, analyse=analyse, first_party=("codemods",))


def with_settings(settings: str | None) -> Framework:
    """The framework, its analysis reading this settings module (`--settings`) when given."""
    if settings is None:
        return DJANGO
    return replace(DJANGO, analyse=partial(analyse, settings=settings))
