"""The class-queries rule: a served plain class-based view (`View`, `TemplateView`) whose methods
query gets `SessionView` first in its bases and each querying method's querysets translated as a
function view's are, on `session = self.session`; a view whose queries do not all translate, or
whose rows would reach code the codemod does not follow, keeps Django's ORM and its route says
why."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.rules.class_queries import ClassQueriesRule
from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, routes_of, write_project

MODELS = """
    from django.conf import settings
    from django.db import models


    class Favorite(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        query_id = models.IntegerField()
        title = models.CharField(max_length=200)

        def others(self):
            return Favorite.objects.filter(query_id=self.query_id)
"""
VIEWS = """
    from django.http import JsonResponse
    from django.views import View

    from .models import Favorite
    from .text import describe


    class FavoritesView(View):
        def get(self, request):
            \"\"\"The user's favorites.\"\"\"
            rows = Favorite.objects.filter(user=request.user).order_by("title")[:5]
            return JsonResponse({"titles": [row.title for row in rows]})


    class ToggleView(View):
        def post(self, request, query_id):
            if Favorite.objects.filter(user=request.user, query_id=query_id).exists():
                return JsonResponse({"is_favorite": True})
            return JsonResponse({"is_favorite": self.number(query_id) > 0})

        def number(self, query_id):
            return Favorite.objects.filter(query_id=query_id).count()


    class PageView(View):
        def get(self, request):
            rows = Favorite.objects.filter(user=request.user)
            return self.render_page("favorites.html", {"favorites": rows})

        def render_page(self, template, context):
            return JsonResponse({})


    class StaticView(View):
        @staticmethod
        def found(query_id):
            return Favorite.objects.filter(query_id=query_id).exists()

        def get(self, request, query_id):
            return JsonResponse({"found": StaticView.found(query_id)})


    class OthersView(View):
        def get(self, request, pk):
            row = Favorite.objects.get(pk=pk)
            return JsonResponse({"others": len(row.others())})


    class DescribedView(View):
        def get(self, request, pk):
            row = Favorite.objects.get(pk=pk)
            return JsonResponse({"text": describe(row)})


    class TitledView(View):
        def get(self, request, pk):
            row = Favorite.objects.get(pk=pk)
            text = f"{row.title}!"
            return JsonResponse({"text": describe(text)})


    class ReversedView(View):
        def get(self, request):
            rows = Favorite.objects.filter(user=request.user).reverse()
            return JsonResponse({"n": len(rows)})
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("favorites/", views.FavoritesView.as_view(), name="favorites"),
        path("toggle/<int:query_id>/", views.ToggleView.as_view(), name="toggle"),
        path("page/", views.PageView.as_view(), name="page"),
        path("static/<int:query_id>/", views.StaticView.as_view(), name="static"),
        path("reversed/", views.ReversedView.as_view(), name="reversed"),
        path("others/<int:pk>/", views.OthersView.as_view(), name="others"),
        path("described/<int:pk>/", views.DescribedView.as_view(), name="described"),
        path("titled/<int:pk>/", views.TitledView.as_view(), name="titled"),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/views.py": VIEWS,
        "app/urls.py": URLS,
        "app/text.py": "def describe(row):\n    return str(row)\n",
    }
    return write_project(tmp_path / "site", files)


def routes(tmp_path: Path) -> dict[str, Finding]:
    return routes_of(project(tmp_path))


def views(tmp_path: Path) -> str:
    code, _ = convert_module(project(tmp_path), "app/views.py", [ClassQueriesRule])
    return code


def _class(code: str, name: str) -> str:
    start = code.index(f"class {name}")
    end = code.find("\nclass ", start + 1)
    return code[start : end if end != -1 else len(code)]


def test_a_handler_querying_becomes_select_on_the_views_session(tmp_path: Path) -> None:
    found = _class(views(tmp_path), "FavoritesView")
    assert found.startswith(
        dedent(
            '''\
            class FavoritesView(SessionView, View):
                def get(self, request):
                    """The user's favorites."""
                    session = self.session
                    rows = session.scalars('''
        )
    )
    assert "select(tables.Favorite)" in found
    assert "Favorite.objects" not in found


def test_the_view_module_imports_the_mixin_and_the_generated_models(tmp_path: Path) -> None:
    code = views(tmp_path)
    assert "from codemods.runtime.django.view_session import SessionView" in code
    assert "from . import models as tables" in code


def test_a_helper_method_counting_is_translated_with_the_handler(tmp_path: Path) -> None:
    found = _class(views(tmp_path), "ToggleView")
    assert found.startswith("class ToggleView(SessionView, View):")
    count = found[found.index("def number") :]
    assert "session = self.session" in count
    assert "Favorite.objects" not in found


def test_routes_of_views_whose_queries_all_translate_are_converted(tmp_path: Path) -> None:
    found = routes(tmp_path)
    assert (found["favorites"].status, found["favorites"].reasons) == (Status.converted, [])
    assert (found["toggle"].status, found["toggle"].reasons) == (Status.converted, [])


def test_rows_handed_to_another_method_keep_the_orm_naming_it(tmp_path: Path) -> None:
    page = routes(tmp_path)["page"]
    assert page.status == Status.partial
    assert (
        "stays on Django's ORM: its methods' queries cannot become select(): PageView.get: "
        "self.render_page() is given rows, which the codemod does not follow" in page.reasons
    )
    assert "class PageView(View):" in views(tmp_path)


def test_a_static_method_querying_takes_the_session_its_callers_pass(tmp_path: Path) -> None:
    found = _class(views(tmp_path), "StaticView")
    assert found.startswith(
        dedent(
            """\
            class StaticView(SessionView, View):
                @staticmethod
                def found(query_id, *, session: Session):
                    return session.scalar("""
        )
    )
    assert "StaticView.found(query_id, session=session)" in found
    assert "from sqlalchemy.orm import Session" in views(tmp_path)
    assert routes(tmp_path)["static"].status == Status.converted


def test_a_static_method_querying_called_outside_its_class_keeps_the_orm(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    views_py = root / "app/views.py"
    views_py.write_text(views_py.read_text() + "\n\nFOUND = StaticView.found(1)\n")
    found = convert_module(root, "app/urls.py", [UrlsRule])[1]
    static = next(f for f in found if f.details.get("name") == "static")
    assert static.status == Status.partial
    assert any(
        "StaticView is also used by module-level code, which would not give it a session" in r
        for r in static.reasons
    )


def test_a_query_outside_the_mapping_keeps_the_orm_naming_it(tmp_path: Path) -> None:
    reversed_rows = routes(tmp_path)["reversed"]
    assert reversed_rows.status == Status.partial
    assert any(
        "ReversedView.get:" in r and "reverse() is not in the query mapping" in r
        for r in reversed_rows.reasons
    )


def test_a_row_read_the_generated_rows_lack_keeps_the_orm(tmp_path: Path) -> None:
    others = routes(tmp_path)["others"]
    assert others.status == Status.partial
    assert any(
        "OthersView.get: reads row.others: not a column, a foreign key or a method of Favorite "
        "without a query" in r
        for r in others.reasons
    )


def test_a_row_handed_to_a_function_keeps_the_orm(tmp_path: Path) -> None:
    described = routes(tmp_path)["described"]
    assert described.status == Status.partial
    assert any(
        "DescribedView.get: describe() is given rows, which the codemod does not follow" in r
        for r in described.reasons
    )


def test_a_value_read_from_a_row_may_go_anywhere(tmp_path: Path) -> None:
    titled = routes(tmp_path)["titled"]
    assert (titled.status, titled.reasons) == (Status.converted, [])


def test_a_view_its_module_uses_elsewhere_keeps_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path)
    views_py, urls_py = root / "app/views.py", root / "app/urls.py"
    delegating = "\n\ndef favorites_page(request):\n    return FavoritesView.as_view()(request)\n"
    views_py.write_text(views_py.read_text() + delegating)
    urls_py.write_text(
        urls_py.read_text().replace(
            "]", '    path("page2/", views.favorites_page, name="page2"),\n]'
        )
    )
    found = convert_module(root, "app/urls.py", [UrlsRule])[1]
    favorites = next(f for f in found if f.details.get("name") == "favorites")
    assert favorites.status == Status.partial
    assert any(
        "FavoritesView is also used by favorites_page, which would not give it a session" in r
        for r in favorites.reasons
    )


def test_a_view_on_another_models_module_than_the_modules_rows_views_imports_it_by_its_app(
    tmp_path: Path,
) -> None:
    from codemods.django.rules.class_views import ClassViewsRule
    from tests.codemods.django.test_class_views_rule import project as polls

    root = polls(tmp_path)
    write_project(root, {"polls/other/__init__.py": "", "polls/other/models.py": MODELS})
    views_py = root / "polls/views.py"
    views_py.write_text(
        views_py.read_text()
        + dedent(
            """

            from django.http import JsonResponse
            from django.views import View
            from .other.models import Favorite


            class FavoritesView(View):
                def get(self, request):
                    return JsonResponse({"n": Favorite.objects.filter(query_id=1).count()})
            """
        )
    )
    urls_py = root / "polls/urls.py"
    served = '    path("favorites/", views.FavoritesView.as_view(), name="favorites"),\n]'
    urls_py.write_text(urls_py.read_text().replace("]", served))
    code, _ = convert_module(root, "polls/views.py", [ClassViewsRule, ClassQueriesRule])
    assert "class IndexView(SelectedObjects, generic.ListView):" in code
    assert "class FavoritesView(SessionView, View):" in code
    assert code.count(" as tables") == 1
    assert "from .other import models as other_tables" in code
    assert "select(other_tables.Favorite)" in code


TWO_MODULES_VIEWS = """
    from django.http import JsonResponse
    from django.views import View

    from .models import Favorite
    from .other.models import Note


    class FavoritesView(View):
        def get(self, request):
            return JsonResponse({"n": Favorite.objects.filter(query_id=1).count()})


    class NotesView(View):
        def get(self, request):
            return JsonResponse({"n": Note.objects.filter(query_id=1).count()})
"""
TWO_MODULES_URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("favorites/", views.FavoritesView.as_view(), name="favorites"),
        path("notes/", views.NotesView.as_view(), name="notes"),
    ]
"""


def two_modules_project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/other/__init__.py": "",
        "app/other/models.py": MODELS.replace("Favorite", "Note"),
        "app/views.py": TWO_MODULES_VIEWS,
        "app/urls.py": TWO_MODULES_URLS,
    }
    return write_project(tmp_path / "site", files)


def test_views_of_one_module_on_two_models_modules_each_import_theirs(tmp_path: Path) -> None:
    code, _ = convert_module(two_modules_project(tmp_path), "app/views.py", [ClassQueriesRule])
    assert "from . import models as app_tables" in code
    assert "from .other import models as other_tables" in code
    assert "select(app_tables.Favorite)" in _class(code, "FavoritesView")
    assert "select(other_tables.Note)" in _class(code, "NotesView")
    assert ".objects" not in code


def test_views_of_one_module_on_two_models_modules_are_converted(tmp_path: Path) -> None:
    _, found = convert_module(two_modules_project(tmp_path), "app/urls.py", [UrlsRule])
    statuses = {f.details.get("name"): f.status for f in found if f.kind == "route"}
    assert statuses == {"favorites": Status.converted, "notes": Status.converted}


def test_a_view_on_a_models_module_outside_src_keeps_the_orm_and_its_route_says_so(
    tmp_path: Path,
) -> None:
    root = two_modules_project(tmp_path)
    views_py = root / "app/views.py"
    views_py.write_text(
        views_py.read_text().replace(
            "from .other.models import Note", "from elsewhere.models import Note"
        )
    )
    _, found = convert_module(root, "app/urls.py", [UrlsRule])
    notes = next(f for f in found if f.details.get("name") == "notes")
    assert notes.status == Status.partial
    assert any(
        "NotesView: elsewhere.models is not a models module of SRC: no generated twin to query" in r
        for r in notes.reasons
    )
    code, _ = convert_module(root, "app/views.py", [ClassQueriesRule])
    assert "class NotesView(View):" in code
    assert "class FavoritesView(SessionView, View):" in code


def test_a_view_of_a_src_that_is_no_package_keeps_the_orm_and_its_route_says_so(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    (root / "__init__.py").unlink()  # and tmp_path is not under the working directory
    favorites = routes_of(root)["favorites"]
    assert favorites.status == Status.partial
    assert any(
        "FavoritesView: SRC is not an importable package: its generated models module cannot "
        "be imported" in r
        for r in favorites.reasons
    )


MIXED_VIEWS = """
    from typing import TYPE_CHECKING

    from django.http import JsonResponse
    from django.views import View

    from .models import Favorite

    if TYPE_CHECKING:
        _ViewBase = View
    else:
        _ViewBase = object


    class JsonMixin(_ViewBase):
        def dispatch(self, *args, **kwargs):
            return super().dispatch(*args, **kwargs)


    class CountView(JsonMixin, View):
        def get(self, request):
            return JsonResponse({"n": Favorite.objects.filter(user=request.user).count()})
"""


def test_a_mixin_built_on_object_as_the_module_runs_lets_the_view_query_on_the_session(
    tmp_path: Path,
) -> None:
    urls = """
        from django.urls import path

        from . import views

        urlpatterns = [path("count/", views.CountView.as_view(), name="count")]
    """
    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/views.py": MIXED_VIEWS,
        "app/urls.py": urls,
    }
    site = write_project(tmp_path / "site", files)
    _, findings = convert_module(site, "app/urls.py", [UrlsRule])
    route = next(f for f in findings if f.kind == "route")
    assert (route.status, route.reasons) == (Status.converted, [])
