"""A helper of another module calling a querying helper of its own module gets a twin when that
one gets a twin too (the twin calls the other's, with its session): django-sql-explorer's
`default_db_connection_id()` returns `default_db_connection().id`, whose model is imported inside
the function (an import cycle avoided) and queried through a custom manager method. A plain
class-based view calling such a helper from its methods on `self` converts too: its handler's
queries and the helper's twin run on the route's session."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from tests.codemods.django.support import convert_module, project_analysis, write_project

MODELS = """
    from django.db import models


    class ConnectionManager(models.Manager):
        def default(self):
            return self.filter(default=True).first()


    class Connection(models.Model):
        objects = ConnectionManager()

        alias = models.CharField(max_length=40)
        default = models.BooleanField(default=False)
"""
UTILS = """
    def default_connection():
        from blog.models import Connection
        return Connection.objects.default()


    def default_connection_id():
        return default_connection().id


    def first_alias():
        from blog.models import Connection
        return Connection.objects.values_list("alias", flat=True)[0]


    def first_alias_upper():
        return first_alias().upper()
"""
VIEWS = """
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404
    from django.views import View

    from blog.models import Connection
    from blog.utils import default_connection_id, first_alias_upper


    def default_view(request):
        return JsonResponse({"id": default_connection_id()})


    def alias_view(request):
        return JsonResponse({"alias": first_alias_upper()})


    class ConnectionView(View):
        def get(self, request, *args, **kwargs):
            connection = get_object_or_404(Connection, id=kwargs.get("pk", default_connection_id()))
            return JsonResponse({"alias": connection.alias})
"""
URLS = """
    from django.urls import path

    from .views import ConnectionView, alias_view, default_view

    urlpatterns = [
        path("default/", default_view),
        path("alias/", alias_view),
        path("connection/<int:pk>/", ConnectionView.as_view()),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "blog/__init__.py": "",
        "blog/urls.py": URLS,
        "blog/models.py": MODELS,
        "blog/utils.py": UTILS,
        "blog/views.py": VIEWS,
    }
    return write_project(tmp_path / "site", files)


def route(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_view_calling_a_helper_whose_own_helper_gets_a_twin_is_converted(
    tmp_path: Path,
) -> None:
    assert route(project(tmp_path), "default_view") == ("converted", [])


def test_a_class_view_calling_such_a_helper_on_self_is_converted(tmp_path: Path) -> None:
    assert route(project(tmp_path), "ConnectionView") == ("converted", [])


def test_a_helper_whose_own_helper_gets_no_twin_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "alias_view")

    assert status == "partial"
    assert any("first_alias_upper" in reason for reason in why)


def test_both_twins_are_written_the_outer_calling_the_inner_and_the_inner_import_dropped(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "blog/utils.py")  # every rule

    assert (
        dedent(
            """
        def default_connection_with_session(*, session: Session):
            return session.scalars(ordered(select(tables.Connection).where(tables.Connection.default.is_(True)), by_pk=True).limit(1)).first()
        """  # noqa: E501
        )
        in code
    )
    assert (
        dedent(
            """
        def default_connection_id_with_session(*, session: Session):
            return default_connection_with_session(session=session).id
        """
        )
        in code
    )
    assert "from . import models as tables" in code
    assert code.count("from blog.models import Connection") == 2  # the legacy functions'
