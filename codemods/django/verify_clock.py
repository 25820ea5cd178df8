"""One clock reading for both sides of a form-pass submission: while a pair of calls runs,
Django's `timezone.now()` and `time.time()` answer the instant the pair started, on the legacy
side and on the generated one (both run in this process, the project's middlewares on both). A
middleware that writes a row only once some time has passed since the time that row holds
(Spirit's `LastSeenMiddleware`: `last_seen` a minute after the stored one), or a rate limit
counting calls in windows of `time.time()` (Spirit's: one POST in ten seconds), then decides
alike on both sides, instead of by when each side happened to be called.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen(instant: float) -> Iterator[None]:
    """`django.utils.timezone.now()` answering `instant` (aware in UTC with `USE_TZ`, else naive
    local time, as Django's own), and `time.time()` answering `instant`, until the block ends."""
    from django.conf import settings
    from django.utils import timezone

    if settings.USE_TZ:
        moment = datetime.datetime.fromtimestamp(instant, datetime.UTC)
    else:
        moment = datetime.datetime.fromtimestamp(instant)
    own_now, own_time = timezone.now, time.time
    timezone.now = lambda: moment
    time.time = lambda: instant
    try:
        yield
    finally:
        timezone.now, time.time = own_now, own_time
