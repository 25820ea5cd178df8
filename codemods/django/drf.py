"""Django REST framework views, recognised so that each route on one is reported `manual` with
what is missing: the codemods do not convert DRF yet (APIView and generic views' handlers,
serializers to Pydantic models, permission, authentication, pagination and filter classes)."""

from __future__ import annotations

DRF_PACKAGE = "rest_framework"
MISSING = (
    "serializers -> Pydantic models, permission/authentication classes -> dependencies and "
    "the view's handlers are not converted yet (served by the legacy side)"
)


def drf_base(bases: tuple[str, ...] | list[str]) -> str | None:
    """The first base of a class-based view that is Django REST framework's (dotted)."""
    return next((b for b in bases if b == DRF_PACKAGE or b.startswith(DRF_PACKAGE + ".")), None)


def drf_decorator(decorators: tuple[str, ...] | list[str]) -> str | None:
    """`@api_view(...)` among a function view's decorators, as written."""
    return next(
        (d for d in decorators if d.split("(", 1)[0].rsplit(".", 1)[-1] == "api_view"), None
    )


def class_reason(name: str, base: str) -> str:
    return f"Django REST framework view {name} (on {base}): {MISSING}"


def function_reason(name: str, decorator: str) -> str:
    return f"Django REST framework view {name} (@{decorator}): {MISSING}"
