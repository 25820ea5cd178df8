"""Request data as typed FastAPI parameters, with the values Django's request gives. Transitional.

    def search(request: DjangoRequest, q: str | None = Query(None),
               tags: list[str] = Form([]), x_token: list[str] = Header([], alias="x-token"),
               payload: JsonBody = None):
        title = last(tags)              # request.POST.get("tags")
        token = joined(x_token)         # request.headers.get("X-Token")
        page = present(q, "q")          # request.GET["q"]

Why these helpers: a FastAPI `Form()` string treats an empty field as missing (Django's
`request.POST.get` gives ""), so form fields are read as lists (every value, "" kept) and
`last()` takes Django's value, the last one; a header sent twice is one value joined with ","
in Django's `META` (the WSGI server joins them), so headers are lists and `joined()` joins them;
a missing key read with `[]` raises Django's own `MultiValueDictKeyError` (`KeyError` for
headers), a 500 as in Django. `JsonBody` is `json.loads(request.body)`, the same call on the
same bytes (a malformed body raises the same `JSONDecodeError`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from django.utils.datastructures import MultiValueDictKeyError
from fastapi import Depends, Request

T = TypeVar("T")
D = TypeVar("D")


def last(values: list[str], default: D | None = None) -> str | D | None:
    """`QueryDict.get(key, default)` over the key's values: the last one, else `default`."""
    return values[-1] if values else default


def joined(values: list[str], default: D | None = None) -> str | D | None:
    """A request header as Django's `request.headers`/`META` hold it: the values of a repeated
    header joined with "," (as the WSGI server joins them), else `default`."""
    return ",".join(values) if values else default


def present(value: T | None, key: str, error: type[KeyError] = MultiValueDictKeyError) -> T:
    """`request.GET[key]`: the value, or Django's error for a missing key (a 500, as in Django;
    `KeyError` for `request.headers[key]`)."""
    if value is None:
        raise error(key)
    return value


async def json_body(request: Request) -> Any:
    """`json.loads(request.body)` on the request's own bytes."""
    return json.loads(await request.body())


JsonBody = Annotated[Any, Depends(json_body)]
