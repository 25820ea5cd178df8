"""URLs as the front may print them: no password, no query string (where `?password=` hides)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def without_credentials(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}:{parts.port}"
    except ValueError:
        return "<unparseable URL>"
    user = f"{parts.username}:***@" if parts.password is not None else ""
    if parts.password is None and parts.username:
        user = f"{parts.username}@"
    query = "?..." if parts.query else ""
    if not parts.netloc:  # sqlite:///path: nothing secret before the path
        return url.split("?", 1)[0] + query
    return urlunsplit(parts._replace(netloc=user + host, query="", fragment="")) + query
