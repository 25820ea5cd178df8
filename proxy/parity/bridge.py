"""How parity reaches the legacy WSGI app in-process: through the front's own WSGI bridge, so
what parity sees is what clients of the front see."""

from __future__ import annotations

from typing import Any

from proxy.wsgi_bridge import WSGIBridge


def legacy_asgi_app(wsgi_app: Any, *, timeout: float = 30.0) -> WSGIBridge:
    # Parity sends one request at a time: a small pool is enough.
    return WSGIBridge(wsgi_app, threads=2, max_pending=8, timeout=timeout)
