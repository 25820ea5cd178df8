"""A fixture for tests of code that logs through structlog as a fresh `strangler` process
does: a front test earlier in the same xdist worker may have configured structlog (and a module
may have cached its logger) for a stream that is gone by then."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def command_line_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logging as in a fresh `strangler` process: a front test of the same worker may have
    configured structlog (and cached the rollback's logger) for a stream that is gone now."""
    import structlog

    import proxy.rollback

    structlog.reset_defaults()
    monkeypatch.setattr(proxy.rollback, "log", structlog.get_logger("strangler.rollback"))
