"""Django REST framework views on the FastAPI side. Transitional: a person ports each view to
plain handlers (Pydantic models, dependencies) when the legacy project goes.

A DRF view is DRF's own code, run on the route's Django request: `class_view(View.as_view())`
(`views.py`) serves an `APIView`, a generic view or an `@api_view` function, and
`class_view(drf_route(drf_router, "post-list"), ...)` serves a router's route, with the view
DRF's router made for that name (the viewset's `as_view(actions, basename=, detail=, suffix=,
**action kwargs)`, or `DefaultRouter`'s API root), so nothing of DRF's routing is re-derived:

    drf_router = DefaultRouter()
    drf_router.register(r"posts", PostViewSet)
    router = APIRouter()
    router.add_api_route("/posts/", class_view(drf_route(drf_router, "post-list")),
                         methods=[...every method], name="post-list")

DRF answers everything itself: authentication (session with its CSRF check, token, basic) and
permissions with its 401/403 and `WWW-Authenticate` rules, serializer errors
(`{"field": ["This field is required."]}`, 400), pagination and filter backends, content
negotiation, and its JSON 405 for a method the view has no handler for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def drf_route(router: Any, name: str) -> Callable[..., Any]:
    """The view DRF's `router` serves under the URL name `name` (its first pattern of that
    name: a format-suffix twin shares the view)."""
    for pattern in router.urls:
        if getattr(pattern, "name", None) == name:
            view: Callable[..., Any] = pattern.callback
            return view
    raise LookupError(f"the router has no route named {name!r}")
