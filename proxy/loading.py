"""Import the legacy WSGI app and the migrated FastAPI app named in the config."""

from __future__ import annotations

import importlib
import inspect
from typing import Any


class AppLoadError(Exception):
    """An app named in the config cannot be imported or is not what it should be."""


def import_object(reference: str, what: str) -> Any:
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise AppLoadError(f"{what}: {reference!r} is not of the form 'module:attribute'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise AppLoadError(f"{what}: cannot import {module_name!r}: {error}") from error
    target: Any = module
    for part in attribute.removesuffix("()").split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise AppLoadError(f"{what}: {module_name!r} has no attribute {attribute!r}") from None
    if attribute.endswith("()"):
        target = target()
    return target


def load_legacy_app(reference: str) -> Any:
    """A WSGI callable: the object itself, or what a zero-argument factory returns."""
    target = import_object(reference, "[legacy] app")
    if _is_factory(target):
        target = target()
    if not callable(target):
        raise AppLoadError(f"[legacy] app: {reference!r} is not a WSGI callable")
    return target


def _is_factory(target: Any) -> bool:
    """A plain function taking no required argument (WSGI apps take environ and start_response)."""
    if not inspect.isfunction(target):
        return False
    required = [
        parameter
        for parameter in inspect.signature(target).parameters.values()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    ]
    return not required


def load_migrated_app(reference: str) -> Any:
    """A FastAPI app; an APIRouter is included into a fresh one."""
    from fastapi import APIRouter, FastAPI

    target = import_object(reference, "[migrated] app")
    if isinstance(target, APIRouter):
        app = FastAPI()
        app.include_router(target)
        return app
    if _is_factory(target):
        target = target()
    if not isinstance(target, FastAPI):
        raise AppLoadError(
            f"[migrated] app: {reference!r} is neither a FastAPI app nor an APIRouter"
        )
    return target
