"""The admin API (`/_strangler/api/`) and dashboard (`/_strangler/`) of the strangler front:
bearer tokens with the roles viewer and operator, changes made through the state store.

`gate` who may reach it; `auth` tokens and roles; `api` the endpoints; `changes` the operations
shared with the CLI; `traffic`, `progress`, `shadow_view` what the dashboard shows; `dashboard`
its pages; `app` the FastAPI app; `mount` the front's side of it.
"""

from proxy.admin.mount import create_admin_app, with_admin

__all__ = ["create_admin_app", "with_admin"]
