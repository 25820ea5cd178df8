"""The cookies one caller of the verification keeps between its calls, as an HTTP client's jar:
what an answer sets is sent with the next calls (the standard library's `CookieJar`, so expiry,
deletion, path and domain rules are a browser's)."""

from __future__ import annotations

import email.message
import urllib.request
from http.cookiejar import CookieJar


class Jar:
    def __init__(self) -> None:
        self.cookies = CookieJar()

    def header(self, url: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """`headers` with the jar's `Cookie` header for `url` added, unless they carry one
        already (a logged-in caller's own session cookie wins, as with an HTTP client)."""
        if not len(self.cookies) or any(k.lower() == "cookie" for k, _ in headers):
            return headers
        request = urllib.request.Request(url)
        self.cookies.add_cookie_header(request)
        cookie = request.get_header("Cookie")
        return [*headers, ("Cookie", cookie)] if cookie else headers

    def store(self, url: str, response_headers: list[tuple[str, str]]) -> None:
        """Keep the cookies an answer to `url` sets."""
        if not any(k.lower() in ("set-cookie", "set-cookie2") for k, _ in response_headers):
            return
        self.cookies.extract_cookies(_Answer(response_headers), urllib.request.Request(url))  # type: ignore[arg-type]


class _Answer:
    """What `CookieJar.extract_cookies` reads of an answer."""

    def __init__(self, headers: list[tuple[str, str]]) -> None:
        self.headers = headers

    def info(self) -> email.message.Message:
        message = email.message.Message()
        for key, value in self.headers:
            message[key] = value  # appends: every Set-Cookie is kept
        return message
