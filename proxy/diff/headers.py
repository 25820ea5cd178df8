"""The response headers that matter to a client, reduced to what must be equal.

- content-type: media type and charset, lower-cased;
- location: as sent, but an absolute URL on the request's own origin becomes its path;
- cache-control: the set of directives;
- set-cookie: per cookie name, its attributes (path, domain, secure, httponly, samesite,
  max-age, whether it expires) but not its value, which is a token or a signature.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from proxy.diff.model import Response

COMPARED = ("content-type", "location", "cache-control", "set-cookie")


def relevant_headers(response: Response, origins: tuple[str, ...] = ()) -> dict[str, Any]:
    found: dict[str, Any] = {}
    content_type = response.header("content-type")
    if content_type is not None:
        found["content-type"] = _content_type(content_type)
    location = response.header("location")
    if location is not None:
        found["location"] = _location(location, origins)
    cache_control = response.header("cache-control")
    if cache_control is not None:
        found["cache-control"] = sorted(
            " ".join(d.split()).lower() for d in cache_control.split(",") if d.strip()
        )
    cookies = response.header_values("set-cookie")
    if cookies:
        found["set-cookie"] = _cookies(cookies)
    return found


def _content_type(value: str) -> str:
    parts = [p.strip().lower() for p in value.split(";") if p.strip()]
    media, params = parts[0], sorted(p.replace('"', "").replace(" ", "") for p in parts[1:])
    return "; ".join([media, *params])


def _location(value: str, origins: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if parts.scheme in ("http", "https") and (
        parts.netloc in ("localhost", "testserver", "testserver:80", "localhost:80")
        or origin in {o.rstrip("/").lower() for o in origins}
    ):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return value


def _cookies(values: list[str]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for value in values:
        jar = SimpleCookie()
        try:
            jar.load(value)
        except CookieError:
            result[value.split("=", 1)[0].strip()] = {"unparsed": True}
            continue
        for name, morsel in jar.items():
            attributes: dict[str, Any] = {
                "path": morsel["path"] or None,
                "domain": morsel["domain"].lower() or None,
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": (morsel["samesite"] or "").lower() or None,
                "max-age": str(morsel["max-age"]) or None,
                "expires": bool(morsel["expires"]),
                "deleted": morsel.value == "" and bool(morsel["expires"] or morsel["max-age"]),
            }
            result[name] = attributes
    return result
