"""When the legacy side is past saving (too many stuck threads), ask for a fresh worker process.

Under a supervisor that replaces workers that exit (gunicorn's arbiter, or uvicorn's with
`strangler serve --workers N`), the worker shuts itself down gracefully with SIGTERM, as a gunicorn
worker past its `--timeout` is replaced: in-flight requests finish, the others are answered by the
other workers, and a new worker takes over. A lone process has nobody to restart it: it keeps
serving and says on /readyz that it is not ready, so an orchestrator's readiness probe can act.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys


def supervisor() -> str | None:
    """Who restarts this process when it exits, or None when nobody does."""
    if "gunicorn.arbiter" in sys.modules:
        return "gunicorn"
    if multiprocessing.parent_process() is not None:
        return "uvicorn --workers"
    return None


def request_restart() -> None:
    """Graceful shutdown of this worker (its supervisor starts another)."""
    os.kill(os.getpid(), signal.SIGTERM)
