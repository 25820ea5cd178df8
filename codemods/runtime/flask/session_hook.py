"""Where generated code finds the legacy Flask session (CSRF tokens and flashed messages).

The session bridge plugs in a reader with `use_flask_session`; until then there is no session:
CSRF checks fail closed and flashed messages only reach pages rendered in the same request.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from fastapi import Request

SessionReader = Callable[[Request], MutableMapping[str, Any] | None]
_reader: list[SessionReader] = []


def use_flask_session(reader: SessionReader | None) -> None:
    """Plug in (or, with None, unplug) how a request's Flask session is read and written."""
    _reader[:] = [reader] if reader is not None else []


def flask_session(request: Request) -> MutableMapping[str, Any] | None:
    """The request's Flask session, or None when no bridge is plugged in."""
    return _reader[0](request) if _reader else None
