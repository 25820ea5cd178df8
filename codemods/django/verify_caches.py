"""The verification's local-memory caches, kept and put back with the databases.

Every cache of the verified project is one of this process (verify_legacy.py turns a server's
into local memory), and both sides read and write it, as they shared the server. A form pass
puts the databases back before each side's submission (verify_rows.py); the caches go back
with them, so that a count one side's earlier calls left there (django-spirit's rate limit: one
POST per user and view in a ten-second window) does not refuse the other side's submission
depending on when the calls happened to run.
"""

from __future__ import annotations

from typing import Any

_KEPT: dict[str, tuple[dict[Any, Any], dict[Any, Any]]] = {}


def keep() -> None:
    """A copy of every local-memory cache's entries and expiry times, for `put_back`."""
    from django.core.cache.backends import locmem

    _KEPT.clear()
    for name, entries in locmem._caches.items():
        with locmem._locks[name]:
            _KEPT[name] = (dict(entries), dict(locmem._expire_info.get(name, {})))


def put_back() -> None:
    """Every local-memory cache as `keep` found it, in place (each cache object holds its
    entries' dict); one created since then is emptied."""
    from django.core.cache.backends import locmem

    for name, entries in locmem._caches.items():
        kept, expiry = _KEPT.get(name, ({}, {}))
        with locmem._locks[name]:
            entries.clear()
            entries.update(kept)
            expire_info = locmem._expire_info.setdefault(name, {})
            expire_info.clear()
            expire_info.update(expiry)
