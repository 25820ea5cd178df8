"""django.contrib.sites' current site read on the route's SQLAlchemy session: what
`get_current_site(request)` answers, as the generated `SitesSite` row (its `id`, `domain`,
`name`). Permanent while the sites framework stays Django's.

    def get_site(self, request=None):
        return current_site(self.session, request or self.request, tables.SitesSite)

Django's order: `SITE_ID` when set (the row, else `Site.DoesNotExist`), else the row whose
domain is the request's host, case-insensitively, then the host without its port; without
django.contrib.sites installed, Django's `RequestSite` of the request. Django caches the rows
it found (and empties the cache when a site is saved or deleted); this reads the table each time,
so both sides answer the same rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

SITES_APP = "django.contrib.sites"


def current_site(session: Session, request: Any, site_model: Any) -> Any:
    """The current site as `get_current_site(request)` finds it, a row of `site_model`."""
    from django.apps import apps
    from django.conf import settings
    from django.http.request import split_domain_port

    if not apps.is_installed(SITES_APP):
        from django.contrib.sites.requests import RequestSite

        return RequestSite(request)
    from django.contrib.sites.models import Site

    site_id = getattr(settings, "SITE_ID", "")
    if site_id:
        found = session.get(site_model, site_id)
    elif request is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            'You\'re using the Django "sites framework" without having set the SITE_ID '
            "setting. Create a site in your database and set the SITE_ID setting or pass a "
            "request to Site.objects.get_current() to fix this error."
        )
    else:
        host = request.get_host()
        found = _by_domain(session, site_model, host)
        if found is None:
            found = _by_domain(session, site_model, split_domain_port(host)[0])
    if found is None:
        raise Site.DoesNotExist("Site matching query does not exist.")
    return found


def _by_domain(session: Session, site_model: Any, domain: str) -> Any:
    statement = select(site_model).where(func.lower(site_model.domain) == domain.lower())
    return session.scalars(statement.limit(2)).one_or_none()
