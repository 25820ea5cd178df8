"""Patterns added in the body of a URLconf's top-level `if` (spirit's
`if settings.ST_UPLOAD_IMAGE_ENABLED: urlpatterns.append(path("upload/", ...))`) are registered
under the same `if` in the generated URLconf, so the route is served exactly when Django's
resolver serves the pattern; an `else`, a nested `if`, a `try` or an `if` before urlpatterns
exists stays for a person to register."""

from __future__ import annotations

import ast
from pathlib import Path

from codemods.django.analysis import _imports
from codemods.django.rules.urls import UrlsRule
from tests.codemods.django.support import convert_module, project_analysis, write_project
from tests.codemods.django.test_bound_class_views import planned

VIEWS = """
    from django.http import HttpResponse


    def index(request):
        return HttpResponse("index")


    def upload(request):
        return HttpResponse("upload")


    def legacy(request):
        return HttpResponse("legacy")
"""
URLS = """
    from django.conf import settings
    from django.urls import path

    from . import views

    urlpatterns = [
        path("", views.index, name="index"),
    ]

    if settings.UPLOADS:
        urlpatterns.append(path("upload/", views.upload, name="upload"))
    else:
        urlpatterns += [path("legacy/", views.legacy, name="legacy")]
"""


def project(tmp_path: Path, urls: str = URLS) -> Path:
    files = {
        "__init__.py": "",
        "files/__init__.py": "",
        "files/urls.py": urls,
        "files/views.py": VIEWS,
    }
    return write_project(tmp_path / "site", files)


def test_a_pattern_added_under_an_if_is_registered_under_the_same_if(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "files/urls.py", [UrlsRule])

    assert "if settings.UPLOADS:\n    router.add_api_route('/upload/', views.upload, " in code
    assert "urlpatterns" not in code.split("if settings.UPLOADS:")[1].split("else:")[0]


def test_its_route_is_planned_as_any_other(tmp_path: Path) -> None:
    assert planned(project(tmp_path), "upload")[0] == "converted"


def test_the_else_of_the_if_stays_for_a_person(tmp_path: Path) -> None:
    root = project(tmp_path)
    code, _ = convert_module(root, "files/urls.py", [UrlsRule])

    assert planned(root, "legacy") == (
        "manual",
        ["added in the else of `if settings.UPLOADS`: register it by hand"],
    )
    assert "else:\n    pass  # TODO(strangler)" in code


def test_two_ifs_of_one_test_stay_for_a_person(tmp_path: Path) -> None:
    urls = URLS + "\n    if settings.UPLOADS:\n        urlpatterns += []\n"
    analysis = project_analysis(project(tmp_path, urls))

    found = next(p for p in analysis.patterns if p.name == "upload")
    assert (found.condition, found.by_hand) == (
        None,
        "added to urlpatterns under `if settings.UPLOADS`: register it by hand",
    )


def test_urlpatterns_assigned_under_an_if_stays_for_a_person(tmp_path: Path) -> None:
    urls = URLS.replace(
        'urlpatterns.append(path("upload/", views.upload, name="upload"))',
        'urlpatterns = [path("upload/", views.upload, name="upload")]',
    )
    analysis = project_analysis(project(tmp_path, urls))

    found = next(p for p in analysis.patterns if p.name == "upload")
    assert found.by_hand == (
        "assigned to urlpatterns under `if settings.UPLOADS`: register it by hand"
    )


CLASS_VIEWS = """
    from django.views.generic import TemplateView


    class Upload(TemplateView):
        template_name = "upload.html"
"""
IMPORTED_UNDER_THE_IF = """
    from django.conf import settings
    from django.urls import path

    urlpatterns = []

    if settings.UPLOADS:
        from files.uploads import Upload

        urlpatterns.append(path("upload/", Upload.as_view(), name="upload"))
"""


def test_a_view_imported_under_the_if_is_the_view_of_its_module(tmp_path: Path) -> None:
    # django-todo's `if HAS_TASK_MERGE: from todo.views.task_autocomplete import ...`: before,
    # the class was no module's ("bases outside SRC: Upload")
    root = project(tmp_path, IMPORTED_UNDER_THE_IF)
    (root / "files" / "uploads.py").write_text(CLASS_VIEWS.replace("\n    ", "\n").lstrip())

    status, reasons = planned(root, "upload")
    assert not any("bases outside SRC" in reason for reason in reasons)
    assert status == "converted"


def test_an_import_under_if_type_checking_binds_no_name() -> None:
    # postman's views import AbstractBaseUser under `if TYPE_CHECKING:` for annotations: read
    # as an import, it made django.contrib.auth.models a models module the views query
    module = ("blog", "views.py")
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from django.contrib.auth.models import AbstractBaseUser\n"
        "if settings.UPLOADS:\n"
        "    from files.uploads import Upload\n"
    )

    names = _imports(module, tree)

    assert "AbstractBaseUser" not in names
    assert names["Upload"] == "files.uploads.Upload"
