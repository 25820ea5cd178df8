"""`/healthz` (the process is alive) and `/readyz` (legacy app answering, database reachable)."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Send

from proxy.settings import HealthSettings


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def get_scope(path: str, *, host: str, port: int, user_agent: str) -> dict[str, Any]:
    """The ASGI scope of a plain `GET path` from loopback."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", host.encode()), (b"user-agent", user_agent.encode())],
        "client": ("127.0.0.1", 0),
        "server": (host, port),
        "state": {},
    }


async def probe_asgi(app: ASGIApp, path: str, timeout: float) -> Check:
    """GET `path` on an ASGI app in-process; any answer below 500 counts as answering."""
    scope = get_scope(path, host="localhost", port=80, user_agent="strangler-readyz")
    status = 0
    received = False

    async def receive() -> Message:
        nonlocal received
        if received:  # like a server: nothing more until the client leaves (it never does)
            await asyncio.get_running_loop().create_future()
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    try:
        await asyncio.wait_for(app(scope, receive, send), timeout)
    except Exception as error:
        return Check(False, f"GET {path} failed: {type(error).__name__}")
    return Check(status < 500, f"GET {path} -> {status}")


def database_url(settings: HealthSettings) -> str | None:
    return settings.database_url or os.environ.get("DATABASE_URL")


def redacted(url: str) -> str:
    """What a probe may say about a database URL: its kind only. User, password, host, database
    name and query string (`?password=...`) can all be secrets, and /readyz answers anyone."""
    from sqlalchemy.engine import make_url

    try:
        return f"{make_url(url).get_backend_name()} database"
    except Exception:
        return "database (unparseable URL)"


def check_database(url: str, timeout: float) -> Check:
    from sqlalchemy import create_engine, text

    connect_args: dict[str, Any] = {}
    if url.startswith("postgres"):
        connect_args["connect_timeout"] = max(1, int(timeout))
    try:
        engine = create_engine(url, connect_args=connect_args, pool_pre_ping=False)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as error:
        return Check(False, f"{redacted(url)}: {type(error).__name__}")
    return Check(True, redacted(url))


async def readiness(
    legacy: ASGIApp,
    settings: HealthSettings,
    extra: dict[str, Check] | None = None,
    *,
    migrated_error: str | None = None,
) -> tuple[int, bytes]:
    """200 when every check passes. A migrated app that failed to load is reported (`degraded`)
    without making the front unready: the legacy routes, usually most of them, are served."""
    checks: dict[str, Check] = {
        "legacy": await probe_asgi(legacy, settings.legacy_probe_path, settings.timeout),
        **(extra or {}),
    }
    url = database_url(settings)
    if url:
        try:
            checks["database"] = await asyncio.wait_for(
                asyncio.to_thread(check_database, url, settings.timeout), settings.timeout + 1
            )
        except TimeoutError:
            checks["database"] = Check(False, f"{redacted(url)}: timed out")
    ready = all(check.ok for check in checks.values())
    status = "ready" if ready else "not_ready"
    if migrated_error is not None:
        checks["migrated"] = Check(False, f"not loaded: {migrated_error}")
        status = "degraded" if ready else status
    body = {
        "status": status,
        "checks": {name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()},
    }
    return (200 if ready else 503), json.dumps(body).encode()


async def send_json(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
