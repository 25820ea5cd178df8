"""Django REST framework's authentication and permission classes as a FastAPI dependency, for
a route that no longer runs a DRF view (a view ported by hand) but must still refuse what the
view refused. Transitional.

    @router.get("/me/")
    def me(user: Annotated[Any, drf_access(MeView)]): ...  # the DRF view it was
    def me(user: Annotated[Any, drf_access(permission_classes=[IsAuthenticated])]): ...

The dependency runs what `APIView.initial` runs before a handler, on the route's Django request,
with DRF's own classes: the authentication classes in order (the project's
`DEFAULT_AUTHENTICATION_CLASSES` unless given: `SessionAuthentication` with its CSRF check for
unsafe methods, `TokenAuthentication`, `BasicAuthentication`), then every permission class
(`IsAuthenticated`, `AllowAny`, `IsAdminUser`, `IsAuthenticatedOrReadOnly`, the project's), then
the throttles. A refusal is DRF's own answer, made by `APIView.handle_exception`: 401 with the
first authentication class's `WWW-Authenticate` (`Token`, `Basic realm="api"`), 403 when that
class has none (sessions), `{"detail": "..."}` rendered by DRF's renderers. Otherwise the
dependency gives the authenticated user (`request.user` as DRF set it; `AnonymousUser` when
anonymous access is allowed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Depends

from codemods.runtime.django.connections import fresh_connections
from codemods.runtime.django.request import DjangoRequest
from codemods.runtime.django.responses import DjangoResponse


def drf_access(
    view: type | None = None,
    *,
    authentication_classes: Sequence[type] | None = None,
    permission_classes: Sequence[type] | None = None,
) -> Any:
    """A dependency refusing as the DRF view class `view` refuses (its classes, renderers,
    throttles and allowed methods, for the `Allow` header of a refusal), or as an `APIView`
    with these classes (None: the project's defaults); else giving the user."""
    from rest_framework.views import APIView

    attributes: dict[str, Any] = {}
    if authentication_classes is not None:
        attributes["authentication_classes"] = list(authentication_classes)
    if permission_classes is not None:
        attributes["permission_classes"] = list(permission_classes)
    checker_class = type("DrfAccess", (view or APIView,), attributes)

    def check(http_request: DjangoRequest) -> Any:
        checker = checker_class()
        checker.setup(http_request)  # Django's: args, kwargs, `head` from `get`
        with fresh_connections():
            request = checker.initialize_request(http_request)
            checker.request = request
            checker.headers = checker.default_response_headers
            try:
                checker.initial(request)
                return request.user
            except Exception as error:
                response = checker.handle_exception(error)
                response = checker.finalize_response(request, response)
                raise DjangoResponse(response.render()) from error

    return Depends(check)
