"""Flask's request limits and `MultiDict` lookups on the migrated routes. Permanent: clients see
the limits the legacy app configured, not Starlette's defaults.

Flask reads its forms with `MAX_CONTENT_LENGTH` (the whole body), `MAX_FORM_MEMORY_SIZE` (a
`multipart/form-data` text field) and `MAX_FORM_PARTS` (the parts of a multipart body), each
answering 413; a urlencoded form has no other limit (Starlette's would answer 400 past 1 MiB of a
field or 1000 fields). Werkzeug's `MultiDict.get` gives a repeated key's first value, Starlette's
its last: the form and the query string of a request are read here, with the app's limits, and
given to FastAPI with first values first. An empty form field is `""` for the view, as in
Flask (FastAPI would give the parameter its default, as if the field were missing).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask
from starlette.datastructures import FormData, ImmutableMultiDict, QueryParams
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FORM_KEY = "strangler.form"  # the form as read, in the request's scope
# Starlette's messages for its multipart limits (its other errors are malformed bodies).
LIMIT_MESSAGES = ("exceeded maximum size", "Too many fields", "Too many files")


class PresentEmpty(str):
    """An empty form field, sent: FastAPI takes a value equal to `""` for a missing field, so
    this one compares unequal to it; pydantic hands the view a plain `""`."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return False if type(other) is str and other == "" else str.__eq__(self, other)

    __hash__ = str.__hash__


def first_values(multi: ImmutableMultiDict[Any, Any], *, keep_empty: bool = False) -> None:
    """Make `multi.get(key)` and `multi[key]` give the first value, as Werkzeug does (an empty
    one as sent, with `keep_empty`); `getlist` and `multi_items` keep the values as they are."""
    first: dict[Any, Any] = {}
    for key, value in multi.multi_items():
        if keep_empty and type(value) is str and value == "":
            value = PresentEmpty()
        first.setdefault(key, value)
    multi._dict = first


def config_of(request: Request) -> Mapping[str, Any]:
    config = getattr(request.app.state, "config", None)
    return config if config is not None else Flask.default_config


def too_large() -> Exception:
    from werkzeug.exceptions import RequestEntityTooLarge

    return RequestEntityTooLarge()


def check_content_length(request: Request) -> None:
    """`MAX_CONTENT_LENGTH`: 413 for a body announced larger."""
    limit = config_of(request).get("MAX_CONTENT_LENGTH")
    length = request.headers.get("content-length", "")
    if limit is not None and length.isdigit() and int(length) > int(limit):
        raise too_large()


async def read_form(request: Request) -> None:
    """Parse the request's form with Flask's limits, before FastAPI reads it (from the cache)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        return
    check_content_length(request)
    config = config_of(request)
    if content_type == FORM_TYPES[0]:
        limit = config.get("MAX_CONTENT_LENGTH")
        if limit is not None and len(await request.body()) > int(limit):
            raise too_large()
        limits: dict[str, Any] = {"max_fields": float("inf"), "max_part_size": sys.maxsize}
    else:
        parts = config.get("MAX_FORM_PARTS")
        memory = config.get("MAX_FORM_MEMORY_SIZE")
        limits = {
            "max_files": float("inf") if parts is None else parts,
            "max_fields": float("inf") if parts is None else parts,
            "max_part_size": sys.maxsize if memory is None else memory,
        }
    try:
        form: FormData = await request.form(**limits)
    except StarletteHTTPException as error:
        if any(message in str(error.detail) for message in LIMIT_MESSAGES):
            raise too_large() from None
        raise
    parts = config.get("MAX_FORM_PARTS")
    if content_type == FORM_TYPES[1] and parts is not None and len(form.multi_items()) > parts:
        raise too_large()
    first_values(form, keep_empty=True)
    request.scope[FORM_KEY] = form


def first_query_values(request: Request) -> None:
    """`request.args.get(key)`: the first value of a repeated key."""
    if not request.scope.get("query_string"):
        return  # nothing to reorder: leave the query to be parsed when (and if) it is read
    query: QueryParams = request.query_params
    first_values(query)
