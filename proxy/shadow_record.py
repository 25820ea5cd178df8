"""Recorded traffic: sampled mirrored requests written to a case file that
`strangler parity --cases FILE` replays, with what identifies or authenticates a person
redacted on the way.

One JSON object a line, in the format of parity's case files (proxy/parity/cases.py), plus
where it came from:

    {"method": "POST", "path": "/login", "form": {"user": "ann", "password": "<redacted>"},
     "headers": {"Content-Type": "application/x-www-form-urlencoded"},
     "route": "POST /login", "recorded_at": "2026-12-05T20:41:07Z",
     "redacted": ["header cookie", "form password"]}

Redacted:
- the headers that carry credentials or sessions are dropped whole (Cookie, Authorization,
  Proxy-Authorization, and any header whose name is secret by the list below: X-Api-Key,
  X-Auth-Token, X-CSRFToken...); so are the connection's own (Host, Content-Length,
  X-Forwarded-*, the request id), which a replay sets again;
- query parameters, form fields and JSON keys (at any depth) whose names are secret keep their
  place with the value `<redacted>`, so the request keeps its shape. Secret names contain
  password (passwd, passphrase, passcode, pwd), secret, token, api key, access key, private
  key, authorization, auth, session, csrf/xsrf, cookie, credit, card number, cvv/cvc, ssn,
  signature or otp (SECRET_NAMES);
- `[shadow] redact = ["email", ...]` adds names to both lists.

Bodies that are neither JSON, a form nor UTF-8 text (multipart uploads, binary) are not recorded
(a multipart body may hold a password field the recorder cannot see into): counted as skipped.
Every worker appends to the same file, one `write()` per line (O_APPEND), and stops once the
file reaches `record_max_bytes`.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from proxy.parity.cases import ParityRequest

REDACTED = "<redacted>"
SECRET_NAMES = (  # regular expressions, matched case-insensitively anywhere in a name
    r"passw", r"passphrase", r"passcode", r"^pass$", r"pwd", r"secret", r"token",
    r"api.?key", r"access.?key", r"private.?key", r"^key$", r"authori[sz]ation",
    r"(^|[-_])auth($|[-_])", r"session", r"csrf", r"xsrf", r"cookie", r"credit",
    r"card.?num", r"^card$", r"cvv", r"cvc", r"(^|[-_])ssn($|[-_])", r"signature",
    r"(^|[-_])otp($|[-_])",
)  # fmt: skip
DROPPED_HEADERS = frozenset({
    "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
    "forwarded", "x-real-ip", "x-request-id", "x-strangler-shadow",
})  # fmt: skip


class Redactor:
    def __init__(self, extra_names: Iterable[str] = ()) -> None:
        patterns = [*SECRET_NAMES, *(re.escape(name) for name in extra_names)]
        self._secret = re.compile("|".join(patterns), re.IGNORECASE)

    def secret(self, name: str) -> bool:
        return bool(self._secret.search(name))

    def headers(self, headers: Iterable[tuple[str, str]], redacted: list[str]) -> dict[str, str]:
        kept: dict[str, str] = {}
        for name, value in headers:
            lowered = name.lower()
            if lowered in DROPPED_HEADERS or lowered.startswith("x-forwarded-"):
                continue
            if lowered == "authorization" or self.secret(lowered):
                if f"header {lowered}" not in redacted:
                    redacted.append(f"header {lowered}")
                continue
            kept[name] = f"{kept[name]}, {value}" if name in kept else value
        return kept

    def pairs(
        self, pairs: list[tuple[str, str]], where: str, redacted: list[str]
    ) -> list[tuple[str, str]]:
        out = []
        for name, value in pairs:
            if self.secret(name):
                redacted.append(f"{where} {name}")
                value = REDACTED
            out.append((name, value))
        return out

    def document(self, value: Any, path: str, redacted: list[str]) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                inner = f"{path}.{key}"
                if self.secret(str(key)) and not isinstance(item, dict | list):
                    redacted.append(f"json {inner}")
                    out[key] = REDACTED
                else:
                    out[key] = self.document(item, inner, redacted)
            return out
        if isinstance(value, list):
            return [self.document(item, f"{path}[{n}]", redacted) for n, item in enumerate(value)]
        return value

    def record(self, request: ParityRequest) -> dict[str, Any] | None:
        """`request` as a redacted case-file line, or None when its body cannot be recorded."""
        redacted: list[str] = []
        parts = urlsplit(request.target)
        target = parts.path
        if parts.query:
            query = parse_qsl(parts.query, keep_blank_values=True)
            target += "?" + urlencode(self.pairs(query, "query", redacted))
        headers = self.headers(request.headers, redacted)
        record: dict[str, Any] = {"method": request.method, "path": target}
        media = (
            next((v for k, v in headers.items() if k.lower() == "content-type"), "")
            .split(";")[0]
            .strip()
            .lower()
        )
        if request.body:
            try:
                text = request.body.decode("utf-8")
            except UnicodeDecodeError:
                return None
            if media == "application/json" or media.endswith("+json"):
                try:
                    record["json"] = self.document(json.loads(text), "$", redacted)
                except ValueError:
                    record["body"] = text
                _drop_content_type(headers)
            elif media == "application/x-www-form-urlencoded":
                form = parse_qsl(text, keep_blank_values=True)
                record["form"] = _as_form(self.pairs(form, "form", redacted))
                _drop_content_type(headers)
            elif media.startswith("multipart/"):
                return None
            else:
                record["body"] = text
        record["headers"] = headers
        record["redacted"] = redacted
        return record


def _drop_content_type(headers: dict[str, str]) -> None:
    """The case file's `json`/`form` keys set the content type again on replay."""
    for name in [name for name in headers if name.lower() == "content-type"]:
        del headers[name]


def _as_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form pairs as the case file holds them: a repeated field becomes a list."""
    form: dict[str, Any] = {}
    for name, value in pairs:
        if name in form:
            previous = form[name]
            form[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            form[name] = value
    return form


class CaseRecorder:
    """Appends redacted requests to `path` until it holds `max_bytes`."""

    def __init__(self, path: Path, *, max_bytes: int, redactor: Redactor) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.redactor = redactor
        self.recorded = 0
        self.skipped = 0
        self.full = False
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def write(self, request: ParityRequest, route: str) -> bool:
        """Record `request` (of `route`); False when it was skipped or the file is full."""
        if self.full:
            return False
        record = self.redactor.record(request)
        if record is None:
            self.skipped += 1
            return False
        record["route"] = route
        record["recorded_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode()
        fd = self._open()
        if os.fstat(fd).st_size + len(line) > self.max_bytes:
            self.full = True
            return False
        os.write(fd, line)
        self.recorded += 1
        return True

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
