"""The real option for several hosts: one Redis server (or a managed Redis).

Keys, under a prefix (`strangler:` by default):

    {prefix}routes       hash: route key -> state JSON
    {prefix}audit        list: audit entry JSON, oldest first
    {prefix}audit:ROUTE  list: the same entries of one route
    {prefix}generation   integer, incremented by every change
    {prefix}reports      hash: front worker -> its last report JSON (counters for status)

A change is one Lua script, so the version check, the write, the audit entry and the generation
bump happen atomically on the server, whichever host sends them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis

from proxy.store.base import REPORTS_KEPT_SECONDS, StateStore, next_state
from proxy.store.model import (
    AuditEntry,
    Desired,
    RouteKey,
    RouteState,
    StoreUnreachable,
    VersionConflict,
)

# KEYS: routes, audit, generation, the route's audit. ARGV: route, expected version, state JSON,
# audit JSON.
# Returns {1} when written, {0, current state JSON or false} on a version conflict.
COMPARE_AND_SET = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
local version = 0
if current then version = cjson.decode(current)['version'] end
if version ~= tonumber(ARGV[2]) then return {0, current} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('RPUSH', KEYS[4], ARGV[4])
redis.call('INCR', KEYS[3])
return {1}
"""


class RedisStore(StateStore):
    def __init__(
        self, url: str, *, prefix: str = "strangler:", socket_timeout: float = 2.0
    ) -> None:
        self.url = url
        self.prefix = prefix
        self._routes = f"{prefix}routes"
        self._audit = f"{prefix}audit"
        self._generation = f"{prefix}generation"
        self._reports = f"{prefix}reports"
        try:
            self._redis = redis.Redis.from_url(
                url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
            )
        except ValueError as error:
            raise StoreUnreachable(f"state store {url}: {error}") from None
        self._compare_and_set = self._redis.register_script(COMPARE_AND_SET)

    @contextmanager
    def _reaching(self) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as error:
            raise StoreUnreachable(f"state store {self.url}: {error}") from None

    def read_all(self) -> dict[RouteKey, RouteState]:
        with self._reaching():
            found = self._redis.hgetall(self._routes)
        return {
            RouteKey.parse(route.decode()): RouteState.from_text(state)
            for route, state in found.items()
        }

    def read(self, key: RouteKey) -> RouteState | None:
        with self._reaching():
            found = self._redis.hget(self._routes, str(key))
        return RouteState.from_text(found) if found else None

    def compare_and_set(
        self, key: RouteKey, expected_version: int, desired: Desired, *, who: str, why: str = ""
    ) -> RouteState:
        with self._reaching():
            current = self.read(key)
            if (current.version if current else 0) != expected_version:
                raise VersionConflict(key, expected_version, current)
            state, entry = next_state(key, current, desired, who, why)
            result = self._compare_and_set(
                keys=[self._routes, self._audit, self._generation, self._route_audit(key)],
                args=[str(key), expected_version, state.to_text(), entry.to_text()],
            )
        if int(result[0]) != 1:  # another host won between our read and the script
            latest = result[1] if len(result) > 1 and result[1] else None
            raise VersionConflict(
                key, expected_version, RouteState.from_text(latest) if latest else None
            )
        return state

    def _route_audit(self, key: RouteKey) -> str:
        return f"{self._audit}:{key}"

    def audit(self, *, route: RouteKey | None = None, limit: int = 100) -> list[AuditEntry]:
        source = self._audit if route is None else self._route_audit(route)
        with self._reaching():
            found = self._redis.lrange(source, -limit, -1)
        return [AuditEntry.from_text(text) for text in found]

    def generation(self) -> int:
        with self._reaching():
            value = self._redis.get(self._generation)
        return int(value) if value else 0

    def publish_report(self, worker: str, report: dict[str, Any]) -> None:
        now = time.time()
        text = json.dumps({"at": now, "report": report}, separators=(",", ":"))
        with self._reaching():
            self._redis.hset(self._reports, worker, text)
            stale = [
                name
                for name, value in self._redis.hgetall(self._reports).items()
                if json.loads(value).get("at", 0) < now - REPORTS_KEPT_SECONDS
            ]
            if stale:
                self._redis.hdel(self._reports, *stale)

    def reports(self) -> dict[str, dict[str, Any]]:
        with self._reaching():
            found = self._redis.hgetall(self._reports)
        return {name.decode(): json.loads(value)["report"] for name, value in found.items()}

    def close(self) -> None:
        self._redis.close()
