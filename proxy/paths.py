"""Path safety: read the raw request path the way the legacy app will, and refuse ambiguity.

The ASGI `path` is already percent-decoded, so `/api%2Fproducts` and `/api/products` look the
same there; the decision is taken on `raw_path`. WSGI apps read `PATH_INFO`, which is the
percent-decoded path (PEP 3333), so a path is matched against the migrated routes in that form.

A spelling that is not the canonical form of a migrated or retired route but could name it once
some server, proxy or framework normalises it (`%2F` inside a segment, `//`, `/a/../b`,
`%2e%2e`, `;param`, another case) is answered 400 rather than guessed. A retired route is thus
unreachable by any spelling. Paths that cannot name a migrated route go to the legacy app
untouched, whatever they look like, so the legacy app answers them exactly as before.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import unquote_to_bytes

from proxy.route_table import Route, RouteTable


class Verdict(Enum):
    LEGACY = "legacy"  # the legacy app answers, path untouched
    ROUTE = "route"  # a configured route answers (its mode says who)
    REJECT = "reject"  # the front answers an error


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    route: Route | None = None
    status: int = 200
    error: str = ""
    message: str = ""


LEGACY = Decision(Verdict.LEGACY)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SUSPICIOUS_RAW = re.compile(rb"%2f|%5c|%2e|;|//|\\|/\.\.?(/|$)", re.IGNORECASE)
_DOT_SEGMENT = re.compile(r"(^|/)\.\.?(/|$)")


def too_long(max_length: int) -> Decision:
    return Decision(
        Verdict.REJECT,
        status=414,
        error="uri_too_long",
        message=f"the request path is longer than {max_length} bytes",
    )


def ambiguous(why: str) -> Decision:
    return Decision(Verdict.REJECT, status=400, error="ambiguous_path", message=why)


PERCENT = ord("%")  # an int needle: `b"%" in data` tries it as an int first (a TypeError)


def decode_path(raw_path: bytes) -> str:
    """The path as a WSGI app sees it in PATH_INFO, decoded as UTF-8 (latin-1 if it is not)."""
    data = raw_path if PERCENT not in raw_path else unquote_to_bytes(raw_path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def loose_form(path: str) -> str:
    """Every normalisation some server or framework applies: `;params` dropped, `\\` as `/`,
    slashes merged, dot segments resolved."""
    path = re.sub(r";[^/]*", "", path.replace("\\", "/"))
    path = re.sub(r"/{2,}", "/", path)
    if _DOT_SEGMENT.search(path):
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        if trailing and not path.endswith("/"):
            path += "/"
    return path


def decide(table: RouteTable, method: str, raw_path: bytes, max_length: int) -> Decision:
    """Who answers `method raw_path`: legacy, a configured route, or an error from the front."""
    if len(raw_path) > max_length:
        return too_long(max_length)
    path = decode_path(raw_path)
    if _CONTROL.search(path):
        return Decision(
            Verdict.REJECT,
            status=400,
            error="bad_path",
            message="the request path contains control characters (%00 and the like)",
        )
    if not table:
        return LEGACY
    suspicious = _SUSPICIOUS_RAW.search(raw_path) is not None
    exact = table.match(method, path)
    if exact is not None and not suspicious:
        return Decision(Verdict.ROUTE, route=exact)
    if exact is not None:
        return ambiguous(f"{path!r} names the migrated route {exact.path} in a non-canonical form")
    candidate = table.loose_match(loose_form(path) if suspicious else path)
    if candidate is None:
        return LEGACY
    if suspicious or candidate.mode.hides_legacy:
        return ambiguous(f"{path!r} could name the route {candidate.path} in a non-canonical form")
    # Only case or a trailing slash differ from a route the legacy app still has: the legacy app
    # answers with its own 404 or redirect to the canonical spelling, as it did before the front.
    return LEGACY
