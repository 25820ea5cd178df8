"""The Django runtime's cost per request, in-process (no sockets), on a temporary SQLite copy of
the django_blog schema with one user logged in through Django's database sessions.

Each round times `requests` calls of each kind, interleaved kind by kind; the figures are the
medians over the rounds, printed as microseconds and as ratios to the plain FastAPI route, so
the load of a shared machine cancels out as far as possible.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

ROUNDS = 7
SETTINGS = "legacy_examples.django_blog.config.settings"


def prepare_django(workdir: Path) -> str:
    """Set Django up on a fresh database; returns a logged-in session key."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = ""
    os.environ["DJANGO_BLOG_DB"] = str(workdir / "blog.sqlite3")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", password="bench-password-0123")
    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


async def timed(call: Callable[[], Awaitable[httpx.Response]], requests: int) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        response = await call()
        assert response.status_code == 200, response.text
    return (time.perf_counter() - started) / requests * 1e6


def legacy_me(session_key: str) -> Callable[[], Awaitable[httpx.Response]]:
    """Django's own WSGI handler answering /api/me/ for the same session (httpx's
    WSGITransport, on a worker thread as a WSGI server would run it)."""
    from legacy_examples.django_blog.config.wsgi import application

    client = httpx.Client(
        transport=httpx.WSGITransport(app=application),
        base_url="http://testserver",
        cookies={"sessionid": session_key},
    )

    async def call() -> httpx.Response:
        return await asyncio.to_thread(client.get, "/api/me/")

    return call


async def measure(requests: int, session_key: str) -> dict[str, list[float]]:
    from tests.codemods.runtime.django.fastapi_app import create_app

    app = create_app()
    transport = httpx.ASGITransport(app=app)
    anonymous = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    logged_in = httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies={"sessionid": session_key}
    )
    kinds: dict[str, Callable[[], Awaitable[httpx.Response]]] = {
        "plain route (no Django)": lambda: logged_in.get("/plain/"),
        "DjangoUser, anonymous": lambda: anonymous.get("/whoami/"),
        "DjangoUser, logged in (db session)": lambda: logged_in.get("/whoami/"),
        "Django itself: /api/me/, logged in": legacy_me(session_key),
    }
    for call in kinds.values():  # warm-up
        await timed(call, 20)
    results: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(ROUNDS):
        for name, call in kinds.items():
            results[name].append(await timed(call, requests))
    return results


def main(requests: int) -> int:
    session_key = prepare_django(Path(tempfile.mkdtemp(prefix="django-runtime-bench-")))
    results = asyncio.run(measure(requests, session_key))
    medians = {name: statistics.median(times) for name, times in results.items()}
    base = medians["plain route (no Django)"]
    print(f"{ROUNDS} rounds of {requests} requests each, interleaved; medians")
    for name, median in medians.items():
        print(f"  {name:<38} {median:8.0f} us/request  {median / base:5.2f}x plain")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
