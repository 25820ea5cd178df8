"""One clock reading for both sides of a form-pass submission: while a pair of calls runs,
Django's `timezone.now()` answers the instant the pair started, on the legacy side and on the
generated one (both run in this process, the project's middlewares on both). A middleware that
writes a row only once some time has passed since the time that row holds (Spirit's
`LastSeenMiddleware`: `last_seen` a minute after the stored one) then decides alike on both
sides, instead of writing on the one that happened to be called after the threshold passed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen(instant: float) -> Iterator[None]:
    """`django.utils.timezone.now()` answering `instant` (aware in UTC with `USE_TZ`, else naive
    local time, as Django's own) until the block ends."""
    from django.conf import settings
    from django.utils import timezone

    if settings.USE_TZ:
        moment = datetime.datetime.fromtimestamp(instant, datetime.UTC)
    else:
        moment = datetime.datetime.fromtimestamp(instant)
    own = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = own
