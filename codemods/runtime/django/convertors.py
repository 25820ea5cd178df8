"""Starlette path convertors for Django's path converters and `re_path` groups, so a path that
does not match answers 404 as Django does (a typed parameter alone would answer 422).
Transitional.

    django_convertors()                         # {s:django_slug}, {u:django_uuid}, {p:django_path}
    regex_convertor("re_1a2b3c4d", "[0-9]{4}")  # {year:re_1a2b3c4d}: a re_path group's regex
    optional_convertor("re_5e6f7a8b", "(?:(?P<option>m)/)?")  # {option:re_5e6f7a8b}: ""
                                                # when absent
    registered_convertor("actions")             # {a:django_registered_actions}: the project's
                                                # own converter, as Django has it registered

Django's `int` is Starlette's own `int` (`[0-9]+`) and `str` Starlette's default (`[^/]+`).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.convertors import CONVERTOR_TYPES, Convertor, register_url_convertor
from starlette.exceptions import HTTPException


class DjangoSlugConvertor(Convertor[str]):
    regex = "[-a-zA-Z0-9_]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class DjangoUUIDConvertor(Convertor[uuid.UUID]):
    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def convert(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_string(self, value: uuid.UUID) -> str:
        return str(value)


class DjangoPathConvertor(DjangoSlugConvertor):
    regex = ".+"


class RegexConvertor(DjangoSlugConvertor):
    """A `re_path` named group: its regex, its value a `str` as Django passes it."""


def django_convertors() -> None:
    """Register `django_slug`, `django_uuid` and `django_path` (once)."""
    for name, convertor in (
        ("django_slug", DjangoSlugConvertor()),
        ("django_uuid", DjangoUUIDConvertor()),
        ("django_path", DjangoPathConvertor()),
    ):
        if name not in CONVERTOR_TYPES:
            register_url_convertor(name, convertor)


def regex_convertor(name: str, regex: str) -> str:
    """Register a convertor matching `regex` under `name` (once); returns `name`."""
    if name not in CONVERTOR_TYPES:
        register_url_convertor(name, type(name, (RegexConvertor,), {"regex": regex})())
    return name


class OptionalGroupConvertor(Convertor[str]):
    """An optional group holding one named group (`(?:(?P<option>m)/)?`): the named group's
    value, "" when the group is absent (FastAPI takes no None for a path parameter: `class_view`
    leaves "" of a parameter typed `str | None` out of the view's arguments; the named group
    matches no empty string, paths.py)."""

    def __init__(self, group: str) -> None:
        self.group = re.compile(group)
        self.name = next(iter(self.group.groupindex))
        before, _, rest = group.removeprefix("(?:").partition("(?P<")
        after = rest.rpartition(")")[0].rpartition(")")[2]
        self.before, self.after = _unescaped(before), _unescaped(after)

    def convert(self, value: str) -> str:
        found = self.group.fullmatch(value)
        return (found[self.name] if found else None) or ""

    def to_string(self, value: str | None) -> str:
        return f"{self.before}{value}{self.after}" if value else ""


def _unescaped(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal)


def optional_convertor(name: str, group: str) -> str:
    """Register the convertor of an optional group (its named group made unnamed: Starlette
    names the parameter) under `name` (once); returns `name`."""
    if name not in CONVERTOR_TYPES:
        unnamed = re.sub(r"\(\?P<\w+>", "(?:", group)
        convertor = type(name, (OptionalGroupConvertor,), {"regex": unnamed})(group)
        register_url_convertor(name, convertor)
    return name


class RegisteredConvertor(Convertor[Any]):
    """A converter registered with Django's `register_converter`: its regex, `to_python` and
    `to_url`. A `to_python` raising ValueError answers 404 (Django tries its next pattern
    instead, which a FastAPI route cannot)."""

    def __init__(self, converter: Any) -> None:
        self.converter = converter

    def convert(self, value: str) -> Any:
        try:
            return self.converter.to_python(value)
        except ValueError as error:
            raise HTTPException(status_code=404) from error

    def to_string(self, value: Any) -> str:
        return str(self.converter.to_url(value))


def registered_convertor(converter: str) -> str:
    """Register the convertor `django_registered_<converter>` for Django's converter of that
    name (registered by the project's `register_converter` before this runs, as Django's own
    `path()` needs it); returns the convertor's name."""
    from django.urls.converters import get_converters

    name = f"django_registered_{converter}"
    if name not in CONVERTOR_TYPES:
        found = get_converters().get(converter)
        if found is None:
            raise LookupError(f"no path converter {converter!r} is registered with Django")
        convertor = type(name, (RegisteredConvertor,), {"regex": found.regex})(found)
        register_url_convertor(name, convertor)
    return name
