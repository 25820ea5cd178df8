"""`gunicorn -k proxy.gunicorn_worker.StranglerUvicornWorker`: uvicorn's gunicorn worker running
the front's HTTP protocol, so `[edge]` header limits and timeouts hold under gunicorn too."""

from __future__ import annotations

import warnings
from typing import Any

with warnings.catch_warnings():  # uvicorn.workers warns that it moved to `uvicorn-worker`
    warnings.simplefilter("ignore", DeprecationWarning)
    from uvicorn.workers import UvicornWorker

from proxy.http_protocol import HTTP_PROTOCOL


class StranglerUvicornWorker(UvicornWorker):
    CONFIG_KWARGS: dict[str, Any] = {**UvicornWorker.CONFIG_KWARGS, "http": HTTP_PROTOCOL}
