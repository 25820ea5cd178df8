"""The URLs rule: URLconfs -> FastAPI routers, every pattern reported."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, write_project

VIEWS = """
    from django.contrib.auth.decorators import login_required
    from django.http import JsonResponse
    from django.views import View
    from django.views.decorators.csrf import csrf_exempt
    from django.views.decorators.http import require_GET, require_http_methods

    @require_GET
    def one(request, pk):
        return JsonResponse({"pk": pk})

    @require_GET
    def two(request, slug):
        return JsonResponse({"slug": slug})

    @require_GET
    def three(request, key):
        return JsonResponse({})

    @require_GET
    def four(request, rest):
        return JsonResponse({})

    @require_GET
    def year(request, year):
        return JsonResponse({"year": year})

    @login_required
    @require_http_methods(["GET", "POST"])
    def mine(request):
        return JsonResponse({})

    @csrf_exempt
    @require_http_methods(["POST"])
    def hook(request):
        return JsonResponse({})

    def any_method(request):
        return JsonResponse({})

    class Page(View):
        pass
"""


def convert_urls(
    tmp_path: Path, urls: str, extra: dict[str, str] | None = None
) -> tuple[str, list[Finding]]:
    files = {"__init__.py": "", "app/__init__.py": "", "app/views.py": VIEWS, "app/urls.py": urls}
    root = write_project(tmp_path / "site", {**files, **(extra or {})})
    code, findings = convert_module(root, "app/urls.py", [UrlsRule])
    return code.strip(), findings


def test_path_converters_become_convertor_paths_so_a_mismatch_is_a_404(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("items/<int:pk>/", views.one, name="one"),
            path("tags/<slug:slug>/", views.two),
            path("keys/<uuid:key>/", views.three),
            path("files/<path:rest>", views.four),
        ]
        """,
    )
    assert code.splitlines()[-6:] == [
        "django_convertors()",
        "router = APIRouter()",
        "router.add_api_route('/items/{pk:int}/', views.one, methods=['GET'], name='one')",
        "router.add_api_route('/tags/{slug:django_slug}/', views.two, methods=['GET'])",
        "router.add_api_route('/keys/{key:django_uuid}/', views.three, methods=['GET'])",
        "router.add_api_route('/files/{rest:django_path}', views.four, methods=['GET'])",
    ]
    assert "from django.urls" not in code
    # these views reach no ORM: converted, until verification says otherwise
    assert [f.status for f in findings] == [Status.converted] * 4


def test_a_re_path_of_literals_and_named_groups_becomes_a_path(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import re_path

        from . import views

        urlpatterns = [re_path(r"^archive/(?P<year>[0-9]{4})/$", views.year)]
        """,
    )
    assert "regex_convertor('re_2653f70c', '[0-9]{4}')" in code
    assert "'/archive/{year:re_2653f70c}/', views.year" in code
    assert findings[0].details["path"] == "/archive/{year:re_2653f70c}/"


def test_a_re_path_with_no_path_equivalent_is_manual_with_the_regex_quoted(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import re_path

        from . import views

        urlpatterns = [re_path(r"^items/(\\d+)/$", views.one)]
        """,
    )
    assert findings[0].status == Status.manual
    assert "'^items/(\\\\d+)/$'" in findings[0].reasons[0]
    assert "# TODO(strangler): '^items/(\\\\d+)/$'" in code
    assert "add_api_route" not in code


def test_decorators_become_methods_and_dependencies(tmp_path: Path) -> None:
    code, _ = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("mine/", views.mine),
            path("hook/", views.hook),
            path("any/", views.any_method),
        ]
        """,
    )
    assert (
        "router.add_api_route('/mine/', views.mine, methods=['GET', 'POST', 'PUT', 'PATCH', "
        "'DELETE', 'HEAD', 'OPTIONS'], dependencies=[CsrfProtected, LoginRequired, "
        "guard(require_http_methods(['GET', 'POST']))])"
    ) in code
    assert "router.add_api_route('/hook/', views.hook, methods=['POST'])" in code
    assert (
        "'/any/', views.any_method, methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', "
        "'OPTIONS'], dependencies=[CsrfProtected]"
    ) in code


def test_an_include_becomes_a_router_with_its_prefix_and_namespace(tmp_path: Path) -> None:
    root_urls = """
        from django.urls import include, path

        urlpatterns = [path("api/", include("site.app.urls"))]
        """
    app_urls = """
        from django.urls import path

        from . import views

        app_name = "api"
        urlpatterns = [path("items/<int:pk>/", views.one, name="one")]
        """
    files = {
        "__init__.py": "",
        "urls.py": root_urls,
        "app/__init__.py": "",
        "app/views.py": VIEWS,
        "app/urls.py": app_urls,
    }
    root = write_project(tmp_path / "site", files)
    code, findings = convert_module(root, "urls.py", [UrlsRule])
    assert "from .app.urls import router as app_urls_router" in code
    assert "router.include_router(app_urls_router, prefix='/api')" in code
    assert findings == []
    _, inner = convert_module(root, "app/urls.py", [UrlsRule])
    assert inner[0].details["path"] == "/api/items/{pk:int}/"
    assert inner[0].details["name"] == "api:one"
    assert inner[0].details["django_route"] == "api/items/<int:pk>/"


def test_urlconfs_outside_src_and_classes_that_are_no_views_are_reported_manual(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import include, path

        from . import views

        urlpatterns = [
            path("odd/", views.Odd.as_view(), name="odd"),
            path("accounts/", include("django.contrib.auth.urls")),
        ]
        """,
        {"app/views.py": VIEWS + "\n    class Odd:\n        pass\n"},
    )
    assert [f.status for f in findings] == [Status.manual, Status.manual]
    assert "class Odd is not built on a Django view the codemod knows" in findings[0].reasons[0]
    assert "a URLconf outside SRC" in findings[1].reasons[0]
    assert code.count("# TODO(strangler):") == 2
    assert "add_api_route" not in code


CLASS_VIEWS = """
    from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
    from django.views import View
    from django.views.generic import CreateView, DetailView, ListView, RedirectView

    class Echo(View):
        def get(self, request, word):
            pass

        def post(self, request, word):
            pass

    class Posts(ListView):
        paginate_by = 10

    class Post(DetailView):
        pass

    class NewPost(LoginRequiredMixin, CreateView):
        pass

    class NewDraft(NewPost):
        pass

    class Staff(PermissionRequiredMixin, View):
        permission_required = "app.change_post"

        def get(self, request):
            pass
"""


def test_class_views_are_served_by_class_view_with_their_methods_and_typed_parameters(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path
        from django.views.generic import RedirectView

        from . import views

        urlpatterns = [
            path("echo/<slug:word>/", views.Echo.as_view(), name="echo"),
            path("posts/", views.Posts.as_view(), name="posts"),
            path("posts/<int:pk>/", views.Post.as_view(), name="post"),
            path("old/", RedirectView.as_view(url="/posts/"), name="old"),
        ]
        """,
        {"app/views.py": CLASS_VIEWS},
    )
    assert [f.status for f in findings] == [Status.partial] * 4
    assert "class-based view Echo runs unchanged on the Django runtime" in findings[0].reasons[0]
    assert code.splitlines()[-4:] == [
        "router.add_api_route('/echo/{word:django_slug}/', class_view(views.Echo.as_view(), "
        "word=str), methods=['GET', 'POST', 'HEAD', 'OPTIONS'], dependencies=[CsrfProtected], "
        "name='echo')",
        "router.add_api_route('/posts/', class_view(views.Posts.as_view()), "
        "methods=['GET', 'HEAD', 'OPTIONS'], name='posts')",
        "router.add_api_route('/posts/{pk:int}/', class_view(views.Post.as_view(), pk=int), "
        "methods=['GET', 'HEAD', 'OPTIONS'], name='post')",
        "router.add_api_route('/old/', class_view(RedirectView.as_view(url='/posts/')), "
        "methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], "
        "dependencies=[CsrfProtected], name='old')",
    ]


def test_access_mixins_become_access_guard_dependencies_inherited_ones_too(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("new/", views.NewDraft.as_view(), name="new"),
            path("staff/", views.Staff.as_view(), name="staff"),
        ]
        """,
        {"app/views.py": CLASS_VIEWS},
    )
    assert (
        "from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin" in code
    )
    assert "dependencies=[CsrfProtected, access_guard(LoginRequiredMixin, views.NewDraft)]" in code
    assert "dependencies=[access_guard(PermissionRequiredMixin, views.Staff)]" in code
    assert any("LoginRequiredMixin is checked before the view" in r for r in findings[0].reasons)


def test_patterns_appended_or_extended_at_module_level_are_registered(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [path("one/<int:pk>/", views.one)]
        urlpatterns.append(path("year/<int:year>/", views.year))
        urlpatterns.extend([path("tags/<slug:slug>/", views.two)])
        """,
    )
    assert "'/year/{year:int}/', views.year" in code
    assert "'/tags/{slug:django_slug}/', views.two" in code
    assert "urlpatterns" not in code
    assert [f.status for f in findings] == [Status.converted] * 3


def test_patterns_added_under_a_condition_are_manual_and_leave_no_urlpatterns(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [path("one/<int:pk>/", views.one)]
        if views.FEATURE:
            urlpatterns.append(path("year/<int:year>/", views.year, name="year"))
        """,
    )
    conditional = next(f for f in findings if f.details["name"] == "year")
    assert conditional.status == Status.manual
    assert conditional.reasons == [
        "added to urlpatterns under `if views.FEATURE`: register it by hand"
    ]
    assert "if views.FEATURE:\n    pass  # TODO(strangler)" in code
    assert "add_api_route('/year/" not in code


def test_a_list_of_patterns_added_by_name_is_reported_pattern_by_pattern(tmp_path: Path) -> None:
    more = """
        from django.urls import path

        from app.views import two

        more_urls = [path("tags/<slug:slug>/", two, name="tags")]
        """
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views
        from app.more import more_urls

        urlpatterns = [path("one/<int:pk>/", views.one)]
        urlpatterns += more_urls
        """,
        {"app/more.py": more},
    )
    added = next(f for f in findings if f.details["name"] == "tags")
    assert added.details["django_route"] == "tags/<slug:slug>/"
    assert added.status == Status.manual
    assert "through the list more_urls of app.more" in added.reasons[0]
    assert "more_urls" not in code.split("router = APIRouter()")[1]


def test_an_annotated_urlpatterns_with_translated_routes_is_converted(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path
        from django.utils.translation import pgettext_lazy

        from . import views

        urlpatterns: list = [path(pgettext_lazy("app", "items/<int:pk>/"), views.one)]
        """,
    )
    assert "router.add_api_route('/items/{pk:int}/', views.one" in code
    assert "urlpatterns" not in code
    assert findings[0].details["django_route"] == "items/<int:pk>/"
    assert "marked for translation (pgettext_lazy())" in findings[0].reasons[0]


def test_url_functions_still_used_outside_urlpatterns_stay_imported(tmp_path: Path) -> None:
    code, _ = convert_urls(
        tmp_path,
        """
        from django.urls import include, path, re_path

        from . import views

        more = [re_path(r"^more/$", views.any_method)]
        urlpatterns = [path("one/<int:pk>/", views.one)]
        """,
    )
    assert "from django.urls import re_path" in code


def test_an_anchored_literal_regex_include_prefix_becomes_a_router_prefix(tmp_path: Path) -> None:
    root_urls = """
        from django.urls import include, re_path

        urlpatterns = [
            re_path(r"^shop/", include("site.app.urls")),
            re_path(r"anywhere/", include("site.app.other")),
        ]
        """
    app_urls = """
        from django.urls import path

        from . import views

        urlpatterns = [path("items/<int:pk>/", views.one, name="one")]
        """
    files = {
        "__init__.py": "",
        "urls.py": root_urls,
        "app/__init__.py": "",
        "app/views.py": VIEWS,
        "app/urls.py": app_urls,
        "app/other.py": app_urls,
    }
    root = write_project(tmp_path / "site", files)
    code, _ = convert_module(root, "urls.py", [UrlsRule])
    assert "router.include_router(app_urls_router, prefix='/shop')" in code
    assert "# TODO(strangler): include at line 6: include prefix 'anywhere/' is a regex" in code
    _, inner = convert_module(root, "app/urls.py", [UrlsRule])
    assert inner[0].details["path"] == "/shop/items/{pk:int}/"
    assert inner[0].status == Status.converted


DRF_VIEWS = """
    from rest_framework.decorators import api_view
    from rest_framework.generics import GenericAPIView
    from rest_framework.response import Response

    @api_view(["GET"])
    def ping(request):
        return Response({"ok": True})

    class Login(GenericAPIView):
        def post(self, request):
            return Response({})
    """


def test_every_django_rest_framework_route_is_manual_naming_what_is_missing(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import api

        urlpatterns = [
            path("ping/", api.ping, name="ping"),
            path("login/", api.Login.as_view(), name="login"),
        ]
        """,
        {"app/api.py": DRF_VIEWS},
    )
    assert [f.status for f in findings] == [Status.manual, Status.manual]
    assert findings[0].reasons == [
        "Django REST framework view ping (@api_view(['GET'])): serializers -> Pydantic models, "
        "permission/authentication classes -> dependencies and the view's handlers are not "
        "converted yet (served by the legacy side)"
    ]
    assert (
        findings[1]
        .reasons[0]
        .startswith(
            "Django REST framework view Login (on rest_framework.generics.GenericAPIView): "
        )
    )
    assert "add_api_route" not in code


def test_a_route_giving_a_view_another_type_serves_it_with_its_own(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path, re_path

        from . import views

        urlpatterns = [
            path("posts/<int:pk>/", views.one, name="by_pk"),
            re_path(r"^posts/(?P<pk>[0-9]+)/x/$", views.one, name="by_regex"),
        ]
        """,
    )
    assert "router.add_api_route('/posts/{pk:int}/', views.one," in code
    assert "with_path_types(views.one, pk=str)" in code
    assert "from codemods.runtime.django.path_types import with_path_types" in code
    assert all(f.status != Status.manual for f in findings if f.kind == "route")


def test_a_routes_extra_view_arguments_are_passed_to_the_view(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path, re_path

        from . import views

        urlpatterns = [
            path("slugs/", views.two, kwargs={"slug": ""}, name="no_slug"),
            path("slugs/<slug:slug>/", views.two, name="slug"),
        ]
        """,
    )
    assert "with_view_kwargs(views.two, {'slug': ''})" in code
    assert all(f.status != Status.manual for f in findings if f.kind == "route")


def test_a_path_giving_a_view_none_of_its_required_arguments_is_manual(tmp_path: Path) -> None:
    _, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("slugs/", views.two, name="no_slug"),
            path("slugs/<slug:slug>/", views.two, name="slug"),
        ]
        """,
    )
    [first, second] = [f for f in findings if f.kind == "route"]
    assert first.status == Status.manual
    assert first.reasons == ["this path gives view two no slug"]
    assert second.status != Status.manual
