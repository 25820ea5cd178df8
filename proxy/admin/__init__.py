"""The admin API (`/_strangler/api/`) and dashboard (`/_strangler/`) of the strangler front:
bearer tokens with the roles viewer and operator, changes made through the state store.

`gate` who may reach it; `auth` tokens and roles; `api` the endpoints; `changes` the operations
shared with the CLI; `traffic`, `progress`, `shadow_view` what the dashboard shows; `dashboard`
its pages; `app` the FastAPI app; `mount` the front's side of it. Importing this package loads
none of them (the CLI imports `changes` alone).
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp


def create_admin_app(front: Any) -> ASGIApp:
    """The admin API and dashboard of `front`, which the front calls its /_strangler/ paths with."""
    from proxy.admin.mount import create_admin_app as create

    return create(front)


def with_admin(app: ASGIApp, front: Any) -> ASGIApp:
    """`app` (the front) behind the gate of its /_strangler/ paths."""
    from proxy.admin.mount import with_admin as wrap

    return wrap(app, front)


__all__ = ["create_admin_app", "with_admin"]
