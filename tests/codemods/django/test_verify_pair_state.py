"""Both sides of a form-pass submission start from the same state: the databases and the
local-memory caches put back (verify_caches.py), and one clock reading, Django's and
`time.time()`'s (verify_clock.py). django-spirit's rate limit (one POST per user and view in a
ten-second window of `time.time()`, counted in a cache) refused one side's submission or the
other's depending on when the calls ran."""

from __future__ import annotations

from pathlib import Path

from django.core.cache.backends.locmem import LocMemCache

from codemods.django import verify_caches
from tests.codemods.django.support import run_django


def test_a_cache_entry_written_after_keep_is_gone_after_put_back() -> None:
    cache = LocMemCache("verify-pair-state-written", {})
    cache.set("kept", 1)
    verify_caches.keep()
    cache.set("rate:user:1", 1)
    cache.incr("kept")
    verify_caches.put_back()
    assert (cache.get("rate:user:1"), cache.get("kept")) == (None, 1)


def test_a_cache_created_after_keep_is_emptied_by_put_back() -> None:
    verify_caches.keep()
    cache = LocMemCache("verify-pair-state-created", {})
    cache.set("rate:user:1", 1)
    verify_caches.put_back()
    assert cache.get("rate:user:1") is None


def test_time_time_and_django_s_clock_read_the_pair_s_instant_within_the_block(
    tmp_path: Path,
) -> None:
    printed = run_django(
        tmp_path / "db.sqlite3",
        """
        import time
        from django.utils import timezone
        from codemods.django.verify_clock import frozen

        with frozen(1_000_000.0):
            print(time.time(), timezone.now().timestamp())
        print(time.time() > 1_000_000.0)
        """,
    )
    assert printed.split() == ["1000000.0", "1000000.0", "True"]
