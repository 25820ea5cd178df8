"""Django's database connections used from FastAPI's thread pool. Transitional.

Django opens one connection per thread and closes old ones when a request starts and ends
(`close_old_connections` on `request_started`/`request_finished`). FastAPI runs sync code on
pooled threads with no such signals, so every runtime call that may touch Django's database goes
through `fresh_connections`, as Channels' `database_sync_to_async` does: stale or broken
connections are dropped before, and connections past `CONN_MAX_AGE` after.

    user = await run_in_django(load_user, http_request)   # from async code
    with fresh_connections(): ...                          # from sync code already on a thread
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import ParamSpec, TypeVar

from django.db import close_old_connections
from starlette.concurrency import run_in_threadpool

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def fresh_connections() -> Iterator[None]:
    close_old_connections()
    try:
        yield
    finally:
        close_old_connections()


def _call_with_fresh_connections(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    with fresh_connections():
        return fn(*args, **kwargs)


async def run_in_django(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run sync Django code (ORM, sessions, auth) on the thread pool, connections kept clean."""
    return await run_in_threadpool(partial(_call_with_fresh_connections, fn), *args, **kwargs)
