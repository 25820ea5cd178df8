"""How parity reaches the legacy WSGI app in-process: through a WSGI-to-ASGI bridge.

The front mounts the legacy app with a2wsgi; parity calls it the same way, so what parity sees is
what clients of the front see.
"""

from __future__ import annotations

from typing import Any


def legacy_asgi_app(wsgi_app: Any) -> Any:
    from a2wsgi import WSGIMiddleware

    return WSGIMiddleware(wsgi_app)
