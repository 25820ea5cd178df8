"""Parity cases: one HTTP request, where it came from, and which migrated route it exercises.

Cases come from schemathesis (see `generate.py`), from recorded traffic and from hand-written
files. Recorded and hand-written files are JSON Lines, one request a line:

    {"method": "GET", "path": "/api/products/3?expand=1"}
    {"method": "POST", "path": "/api/cart", "json": {"product_id": 3, "quantity": 2}}
    {"method": "POST", "path": "/login", "form": {"user": "a"}, "headers": {"X-Trace": "1"}}
    {"method": "PUT", "path": "/api/raw", "body": "text", "headers": {"Content-Type": "text/plain"}}
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from proxy.parity.config import Route

Source = Literal["examples", "coverage", "fuzzing", "recorded", "hand-written"]


@dataclass(frozen=True, slots=True)
class ParityRequest:
    method: str
    target: str
    """Path and query string, percent-encoded as sent (`/api/items/3?q=a%20b`)."""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    def with_identity(self, headers: dict[str, str], cookies: dict[str, str]) -> ParityRequest:
        extra = list(headers.items())
        if cookies:
            extra.append(("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items())))
        if not extra:
            return self
        names = {k.lower() for k, _ in extra}
        kept = tuple((k, v) for k, v in self.headers if k.lower() not in names)
        return ParityRequest(self.method, self.target, (*kept, *extra), self.body)

    def curl(self, base_url: str) -> str:
        parts = ["curl", "-i", "-X", self.method]
        for name, value in self.headers:
            parts += ["-H", f"{name}: {value}"]
        if self.body:
            parts += ["--data-binary", self.body.decode("utf-8", errors="replace")]
        parts.append(base_url.rstrip("/") + self.target)
        return " ".join(shlex.quote(p) for p in parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.target,
            "headers": dict(self.headers),
            "body": self.body.decode("utf-8", errors="replace"),
        }


@dataclass(frozen=True, slots=True)
class ParityCase:
    request: ParityRequest
    route: Route
    source: Source
    negative: bool = False
    note: str = ""
    extras: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        kind = "negative" if self.negative else "positive"
        return f"{self.request.method} {self.request.target} [{self.source}, {kind}]"


class CaseFileError(ValueError):
    """A recorded or hand-written case file has a line that is not a request."""


def load_case_file(path: Path, source: Source) -> list[tuple[ParityRequest, str]]:
    """The requests of a JSON Lines file, each with a note saying where it was read."""
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise CaseFileError(f"{path}: {error.strerror}") from None
    requests = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            requests.append((request_from_record(json.loads(line)), f"{path.name}:{number}"))
        except (ValueError, TypeError, KeyError) as error:
            raise CaseFileError(f"{path}:{number}: {error}") from None
    return requests


def request_from_record(record: dict[str, Any]) -> ParityRequest:
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    method = str(record.get("method", "GET")).upper()
    target = str(record["path"])
    if not target.startswith("/"):
        raise ValueError(f"path must start with /: {target!r}")
    if record.get("query"):
        target += ("&" if "?" in target else "?") + urlencode(record["query"], doseq=True)
    headers = {str(k): str(v) for k, v in (record.get("headers") or {}).items()}
    body = b""
    if "json" in record:
        body = json.dumps(record["json"]).encode()
        headers.setdefault("Content-Type", "application/json")
    elif "form" in record:
        body = urlencode(record["form"], doseq=True).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif record.get("body") is not None:
        body = str(record["body"]).encode()
    return ParityRequest(method, target, tuple(headers.items()), body)


def cases_for_routes(
    requests: Iterable[tuple[ParityRequest, str]], routes: list[Route], source: Source
) -> Iterator[ParityCase]:
    """Each request paired with the migrated route it reaches; requests for no migrated route are
    dropped (the front would send them to legacy, so there is nothing to compare)."""
    for request, note in requests:
        route = match_route(routes, request.method, request.path)
        if route is not None:
            yield ParityCase(request, route, source, note=note)


def match_route(routes: list[Route], method: str, path: str) -> Route | None:
    for route in routes:
        if method in route.methods and route.matches_path(path):
            return route
    return None
