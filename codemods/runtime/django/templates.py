"""Django templates rendered for FastAPI routes, with the project's engine and context
processors. Transitional: stays until a person ports the templates.

    @router.get("/")
    def post_list(http_request: DjangoRequest) -> Response:      # sync: processors may query
        return render(http_request, "blog/post_list.html", {"posts": posts})

It is `django.shortcuts.render` on the route's real Django request, so `{% url %}`,
`{% csrf_token %}` (its cookie is set when the response starts), `request`, `user`, `perms` and
`messages` (consumed, as in Django) are what Django gives a view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.shortcuts import render as django_render
from starlette.responses import Response

from codemods.runtime.django.connections import fresh_connections
from codemods.runtime.django.responses import to_starlette


def render(
    http_request: HttpRequest,
    template_name: str | list[str],
    context: Mapping[str, Any] | None = None,
    *,
    status: int | None = None,
    content_type: str | None = None,
    using: str | None = None,
) -> Response:
    """Sync; the rendered page as a Starlette response (`text/html; charset=utf-8` by default)."""
    with fresh_connections():
        response = django_render(
            http_request,
            template_name,
            dict(context or {}),
            content_type=content_type,
            status=status,
            using=using,
        )
    return to_starlette(response)
