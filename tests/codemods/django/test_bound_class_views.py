"""A URL pattern naming a module-level binding of a class-based view (spirit's
`custom_password_reset_done = _CustomPasswordResetDoneView.as_view()`, then
`path("password-reset/done/", views.custom_password_reset_done)`) is a class-based view's route:
`class_view(views.custom_password_reset_done)`, planned on the class it binds."""

from __future__ import annotations

from pathlib import Path

from codemods.django.plans import plan
from codemods.django.rules.urls import UrlsRule
from tests.codemods.django.support import convert_module, project_analysis, write_project

VIEWS = """
    from django.contrib.auth import views as auth_views
    from django.views.generic import TemplateView


    class _Done(auth_views.PasswordResetDoneView):
        template_name = "accounts/done.html"


    class _Confirm(auth_views.PasswordResetConfirmView):
        template_name = "accounts/confirm.html"


    reset_done = _Done.as_view()
    reset_confirm = _Confirm.as_view()
    bye = auth_views.LogoutView.as_view()
    about = TemplateView.as_view(template_name="accounts/about.html")
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("done/", views.reset_done, name="done"),
        path("confirm/<uidb64>/<token>/", views.reset_confirm, name="confirm"),
        path("about/", views.about, name="about"),
        path("bye/", views.bye, name="bye"),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "accounts/__init__.py": "",
        "accounts/urls.py": URLS,
        "accounts/views.py": VIEWS,
    }
    return write_project(tmp_path / "site", files)


def planned(root: Path, name: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.name == name)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_bound_as_view_is_served_as_its_class_based_view(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "accounts/urls.py", [UrlsRule])

    assert "router.add_api_route('/done/', class_view(views.reset_done), " in code


def test_djangos_password_reset_done_view_reaches_no_orm(tmp_path: Path) -> None:
    assert planned(project(tmp_path), "done") == ("converted", [])


def test_a_bound_password_reset_confirm_view_stays_on_the_orm(tmp_path: Path) -> None:
    status, why = planned(project(tmp_path), "confirm")

    assert status == "partial"
    assert (
        "stays on Django's ORM: django.contrib.auth's PasswordResetConfirmView reads or writes "
        "the users through Django's ORM (its forms)"
    ) in why


def test_a_bound_as_view_given_arguments_is_not_followed(tmp_path: Path) -> None:
    status, why = planned(project(tmp_path), "about")

    assert status == "manual"
    assert why == ["view about is not a module-level function of its module"]


def test_djangos_logout_view_is_served_for_post_and_options(tmp_path: Path) -> None:
    analysis = project_analysis(project(tmp_path))
    found = plan(analysis, next(p for p in analysis.patterns if p.name == "bye"))

    assert (str(found.status), found.methods) == ("converted", ("POST", "OPTIONS"))
