"""Decorators a function view keeps as written: Django's own, and those of SRC that keep the
view's signature and query nothing, answer as in Django (no reason, the route can be
`converted`); any other keeps a reason saying why it may not."""

from __future__ import annotations

from pathlib import Path

from codemods.django.plans import plan
from tests.codemods.django.support import project_analysis, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("page/", views.page)]
"""
DECORATORS = """
    import functools

    from django.core.exceptions import PermissionDenied


    def rate_limited(rate="1/10s"):
        def decorator(view):
            @functools.wraps(view)
            def wrapper(request, *args, **kwargs):
                request.is_limited = lambda: False
                return view(request, *args, **kwargs)

            return wrapper

        return decorator


    def moderator_required(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.profile.is_moderator:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper


    def unwrapped(view):
        def wrapper(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        return wrapper


    def staff_check(user):
        return user.is_staff


    def profile_check(user):
        return user.profile.ok
"""


def reasons_of(tmp_path: Path, decorator: str, imports: str = "") -> tuple[str, list[str]]:
    views = f"""
from django.http import HttpResponse
{imports}
from .decorators import moderator_required, profile_check, rate_limited, staff_check, unwrapped


{decorator}
def page(request):
    return HttpResponse("page")
"""
    files = {
        "__init__.py": "",
        "blog/__init__.py": "",
        "blog/urls.py": URLS,
        "blog/decorators.py": DECORATORS,
        "blog/views.py": views,
    }
    analysis = project_analysis(write_project(tmp_path / "site", files))
    result = plan(analysis, analysis.patterns[0])
    return str(result.status), result.reasons


def test_a_django_decorator_answers_as_in_django(tmp_path: Path) -> None:
    imports = "from django.views.decorators.cache import never_cache"
    assert reasons_of(tmp_path, "@never_cache", imports) == ("converted", [])


def test_user_passes_test_with_a_test_reading_the_users_own_fields(tmp_path: Path) -> None:
    imports = "from django.contrib.auth.decorators import user_passes_test"
    found = reasons_of(tmp_path, "@user_passes_test(staff_check)", imports)
    assert found == ("converted", [])


def test_user_passes_test_with_a_test_querying_a_related_object(tmp_path: Path) -> None:
    imports = "from django.contrib.auth.decorators import user_passes_test"
    status, why = reasons_of(tmp_path, "@user_passes_test(profile_check)", imports)
    assert status == "partial"
    assert "user.profile" in why[0]
    status, why = reasons_of(tmp_path, "@user_passes_test(lambda u: u.profile.ok)", imports)
    assert "u.profile" in why[0]


def test_a_decorator_of_src_that_wraps_and_queries_nothing(tmp_path: Path) -> None:
    assert reasons_of(tmp_path, '@rate_limited(rate="1/10s")') == ("converted", [])


def test_a_decorator_of_src_reading_a_related_object_of_the_user(tmp_path: Path) -> None:
    status, why = reasons_of(tmp_path, "@moderator_required")
    assert status == "partial"
    assert why == [
        "decorator @moderator_required kept as written: it reads user.profile (a query on "
        "Django's ORM)"
    ]


def test_a_decorator_hiding_the_views_signature(tmp_path: Path) -> None:
    status, why = reasons_of(tmp_path, "@unwrapped")
    assert status == "partial"
    assert "does not use functools.wraps" in why[0]


def test_a_decorator_from_outside_src_keeps_its_reason(tmp_path: Path) -> None:
    imports = "from ratelimit.decorators import ratelimit"
    status, why = reasons_of(tmp_path, '@ratelimit(key="ip")', imports)
    assert status == "partial"
    assert why == ["decorator @ratelimit(key='ip') kept as written: check it on the route"]
