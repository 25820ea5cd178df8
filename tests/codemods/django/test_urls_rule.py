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


def test_a_converter_the_project_registers_becomes_its_registered_convertor(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path, register_converter

        from . import views
        from .converters import YearConverter

        register_converter(YearConverter, "yyyy")

        urlpatterns = [
            path("archive/<yyyy:year>/", views.year, name="year"),
            path("pages/<yyyy:year>/", views.Page.as_view(), name="page"),
        ]
        """,
        {"app/converters.py": "class YearConverter:\n    regex = '[0-9]{4}'\n"},
    )
    assert code.splitlines()[-4:] == [
        "registered_convertor('yyyy')",
        "router = APIRouter()",
        "router.add_api_route('/archive/{year:django_registered_yyyy}/', views.year, "
        "methods=['GET'], name='year')",
        "router.add_api_route('/pages/{year:django_registered_yyyy}/', class_view("
        "views.Page.as_view(), year=Any), methods=['OPTIONS'], name='page')",
    ]
    assert 'register_converter(YearConverter, "yyyy")' in code  # Django's registry has it
    assert "from django.urls import register_converter" in code
    assert "from typing import Any" in code
    assert [f.status for f in findings] == [Status.converted] * 2


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


def test_an_optional_group_of_a_re_path_becomes_an_optional_convertor_for_a_class_view(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import re_path

        from . import views

        urlpatterns = [
            re_path(r"^inbox/(?:(?P<option>m)/)?$", views.Page.as_view(), name="inbox"),
            re_path(r"^year/(?:(?P<year>[0-9]+)/)?$", views.year, name="year"),
        ]
        """,
    )
    assert code.splitlines()[-4:] == [
        "optional_convertor('re_07bf3ff1', '(?:(?P<option>m)/)?')",
        "# TODO(strangler): '^year/(?:(?P<year>[0-9]+)/)?$' (views.year): view year: a path's "
        "optional group is not converted for function views",
        "router = APIRouter()",
        "router.add_api_route('/inbox/{option:re_07bf3ff1}', class_view(views.Page.as_view(), "
        "option=str | None), methods=['OPTIONS'], name='inbox')",
    ]
    year = next(f for f in findings if f.details["name"] == "year")
    assert year.status == Status.manual
    assert "optional group is not converted for function views" in year.reasons[-1]


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


def test_an_include_of_a_pattern_list_of_the_urlconf_is_manual_saying_so(tmp_path: Path) -> None:
    _, findings = convert_urls(
        tmp_path,
        """
        from django.urls import include, path

        from . import views

        app_patterns: list = [path("", views.index, name="index")]
        urlpatterns = [path("app/", include((app_patterns, "app"), namespace="app"))]
        """,
    )
    assert [f.status for f in findings] == [Status.manual]
    assert findings[0].reasons == [
        "include((app_patterns, 'app'), namespace='app'): includes app_patterns, a list of "
        "patterns of this URLconf, which the codemod does not read through include(): register "
        "them by hand"
    ]


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
    statuses = [Status.converted, Status.partial, Status.partial, Status.converted]
    assert [f.status for f in findings] == statuses
    assert "class-based view Posts runs unchanged on the Django runtime" in findings[1].reasons[0]
    assert "generic view ListView reads its objects through Django's ORM" in findings[1].reasons[1]
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


def served_class(tmp_path: Path, views: str, files: dict[str, str] | None = None) -> Finding:
    """The route entry of `views.Page`, served at `page/`."""
    urls = """
        from django.urls import path

        from . import views

        urlpatterns = [path("page/", views.Page.as_view(), name="page")]
        """
    _, findings = convert_urls(tmp_path, urls, {"app/views.py": views, **(files or {})})
    return findings[0]


def test_a_class_view_whose_code_reaches_no_orm_is_converted(tmp_path: Path) -> None:
    finding = served_class(
        tmp_path,
        """
        from django.shortcuts import render
        from django.views.generic import TemplateView

        class Page(TemplateView):
            template_name = "page.html"

            def get_context_data(self, **kwargs):
                return {**super().get_context_data(**kwargs), "who": self.request.user.username}
        """,
    )
    assert finding.status == Status.converted
    assert finding.reasons == []


def test_a_class_view_querying_a_model_stays_partial_naming_the_query(tmp_path: Path) -> None:
    finding = served_class(
        tmp_path,
        """
        from django.views import View

        from .models import Post

        class Page(View):
            def get(self, request):
                return render(request, "p.html", {"posts": Post.objects.all()})
        """,
        {"app/models.py": "from django.db import models\n\nclass Post(models.Model):\n    pass\n"},
    )
    assert finding.status == Status.partial
    assert "stays on Django's ORM: Page reaches Django's ORM: Post.objects, Post" in finding.reasons


def test_a_form_view_of_a_plain_form_is_converted_and_of_a_model_form_partial(
    tmp_path: Path,
) -> None:
    forms = """
        from django import forms

        class Contact(forms.Form):
            email = forms.EmailField()

        class PostForm(forms.ModelForm):
            pass
        """
    views = """
        from django.views.generic import FormView

        from .forms import {form}

        class Page(FormView):
            form_class = {form}
            success_url = "/thanks/"
        """
    plain = served_class(tmp_path / "a", views.format(form="Contact"), {"app/forms.py": forms})
    model = served_class(tmp_path / "b", views.format(form="PostForm"), {"app/forms.py": forms})
    assert plain.status == Status.converted
    assert model.status == Status.partial
    assert "stays on Django's ORM: form PostForm is a ModelForm: it saves through Django's ORM" in (
        model.reasons
    )


def test_a_class_view_on_a_base_the_codemod_does_not_know_stays_partial(tmp_path: Path) -> None:
    finding = served_class(
        tmp_path,
        """
        from django.views.generic import TemplateView
        from somewhere import Mixin

        class Page(Mixin, TemplateView):
            template_name = "page.html"
        """,
    )
    assert finding.status == Status.partial
    assert any("base somewhere.Mixin is not a Django class" in r for r in finding.reasons)


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


def test_patterns_added_under_an_if_are_registered_under_it_and_leave_no_urlpatterns(
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
    assert conditional.status == Status.converted
    assert "if views.FEATURE:\n    router.add_api_route('/year/{year:int}/', views.year" in code
    assert "urlpatterns" not in code


def test_patterns_added_under_a_try_are_manual_and_leave_no_urlpatterns(
    tmp_path: Path,
) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [path("one/<int:pk>/", views.one)]
        try:
            urlpatterns.append(path("year/<int:year>/", views.year, name="year"))
        except ImportError:
            pass
        """,
    )
    conditional = next(f for f in findings if f.details["name"] == "year")
    assert conditional.status == Status.manual
    assert conditional.reasons == ["added to urlpatterns inside a `try` block: register it by hand"]
    assert "try:\n    pass  # TODO(strangler)" in code
    assert "add_api_route('/year/" not in code


def test_a_list_of_another_module_added_by_name_is_registered_with_its_names_imported(
    tmp_path: Path,
) -> None:
    more = """
        from django.urls import path

        from app.views import Page, two
        from django.views.generic import RedirectView

        more_urls = [
            path("tags/<slug:slug>/", two, name="tags"),
            path("page/", Page.as_view(), name="page"),
            path("old/", RedirectView.as_view(url="/new/"), name="old"),
        ]
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
    added = {f.details["name"]: f for f in findings}
    assert added["tags"].details["django_route"] == "tags/<slug:slug>/"
    assert added["tags"].status == Status.converted
    assert "from .views import two, Page" in code
    assert "from django.views.generic import RedirectView" in code
    assert "router.add_api_route('/tags/{slug:django_slug}/', two," in code
    assert "urlpatterns" not in code


def test_a_listed_patterns_aliased_relative_import_is_imported_under_its_alias(
    tmp_path: Path,
) -> None:
    more = """
        from django.urls import path

        from .views import two as second

        more_urls = [path("tags/<slug:slug>/", second, name="tags")]
        """
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from .more import more_urls

        urlpatterns = more_urls
        """,
        {"app/more.py": more},
    )
    assert "from .views import two as second" in code
    assert "router.add_api_route('/tags/{slug:django_slug}/', second," in code
    assert [f.status for f in findings] == [Status.converted]


def test_a_list_of_the_same_module_added_by_name_is_registered_as_written(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        extra = [path("year/<int:year>/", views.year, name="year")]
        urlpatterns = [path("one/<int:pk>/", views.one)]
        urlpatterns += extra
        """,
    )
    assert [f.status for f in findings] == [Status.converted] * 2
    assert "router.add_api_route('/year/{year:int}/', views.year," in code


def test_a_listed_pattern_whose_name_means_another_thing_in_the_urlconf_is_manual(
    tmp_path: Path,
) -> None:
    more = """
        from django.urls import path

        from app import other as views

        more_urls = [path("tags/<slug:slug>/", views.two, name="tags")]
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
        {"app/more.py": more, "app/other.py": VIEWS},
    )
    added = next(f for f in findings if f.details["name"] == "tags")
    assert added.status == Status.manual
    assert "whose name views means another thing in this URLconf" in added.reasons[-1]
    assert "'/tags/" not in code


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
    from rest_framework.decorators import api_view, permission_classes
    from rest_framework.generics import GenericAPIView, ListAPIView
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response

    from .models import Post

    @api_view(["GET", "POST"])
    @permission_classes([IsAuthenticated])  # DRF's dispatch reads it: nothing for the route
    def ping(request):
        return Response({"ok": True})

    @api_view()
    def post_count(request, pk):
        return Response({"count": Post.objects.count()})

    class Login(GenericAPIView):
        def post(self, request):
            return Response({})

    class Posts(ListAPIView):
        queryset = Post.objects.all()
    """
DRF_URLS = """
    from django.urls import path, re_path

    from . import api

    urlpatterns = [
        path("ping/", api.ping, name="ping"),
        path("posts/<int:pk>/count/", api.post_count, name="post_count"),
        re_path(r"login/?$", api.Login.as_view(), name="login"),
        path("posts/", api.Posts.as_view(), name="posts"),
    ]
    """
EVERY_METHOD = "methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']"


def test_a_django_rest_framework_view_is_served_by_drf_dispatch_on_every_method(
    tmp_path: Path,
) -> None:
    code, _ = convert_urls(tmp_path, DRF_URLS, {"app/api.py": DRF_VIEWS})
    assert code.splitlines()[-5:] == [
        "router = APIRouter()",
        f"router.add_api_route('/ping/', class_view(api.ping), {EVERY_METHOD}, name='ping')",
        "router.add_api_route('/posts/{pk:int}/count/', class_view(api.post_count, pk=int), "
        f"{EVERY_METHOD}, name='post_count')",
        "router.add_api_route('/login{optional_slash:re_e5a307af}', class_view("
        f"api.Login.as_view()), {EVERY_METHOD}, name='login')",
        f"router.add_api_route('/posts/', class_view(api.Posts.as_view()), {EVERY_METHOD}, "
        "name='posts')",
    ]


def test_a_django_rest_framework_view_without_queries_is_converted_one_on_the_orm_partial(
    tmp_path: Path,
) -> None:
    _, findings = convert_urls(tmp_path, DRF_URLS, {"app/api.py": DRF_VIEWS})
    statuses = {f.details["name"]: f.status for f in findings}
    assert statuses == {
        "ping": Status.converted,
        "post_count": Status.partial,
        "login": Status.converted,
        "posts": Status.partial,
    }
    posts = next(f for f in findings if f.details["name"] == "posts")
    assert posts.reasons == [
        "Django REST framework view Posts runs unchanged on the Django runtime (DRF's "
        "dispatch, serializers, permissions): its queries stay on Django's ORM (Posts reaches "
        "it by Post.objects, Post)"
    ]


USER_DETAILS = """
    from django.contrib.auth import get_user_model
    from rest_framework.generics import GenericAPIView, RetrieveUpdateAPIView

    from .models import get_token_model

    class UserDetails(RetrieveUpdateAPIView):
        def get_object(self):
            return self.request.user

        def get_queryset(self):
            return get_user_model().objects.none()

    class Login(GenericAPIView):
        def post(self, request):
            token_model = get_token_model()
            return Response({})
    """
USER_DETAILS_URLS = """
    from django.urls import path

    from . import api

    urlpatterns = [
        path("user/", api.UserDetails.as_view(), name="user"),
        path("login/", api.Login.as_view(), name="login"),
    ]
    """


def test_a_drf_view_whose_only_queryset_is_empty_is_converted(tmp_path: Path) -> None:
    _, findings = convert_urls(tmp_path, USER_DETAILS_URLS, {"app/api.py": USER_DETAILS})
    user = next(f for f in findings if f.details["name"] == "user")
    assert (user.status, user.reasons) == (Status.converted, [])


def test_a_drf_views_reason_names_what_reaches_the_orm(tmp_path: Path) -> None:
    _, findings = convert_urls(tmp_path, USER_DETAILS_URLS, {"app/api.py": USER_DETAILS})
    login = next(f for f in findings if f.details["name"] == "login")
    assert login.status == Status.partial
    assert login.reasons[0].endswith(
        "its queries stay on Django's ORM (Login reaches it by get_token_model)"
    )


HELPER_CALLING_VIEWS = """
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from . import totp

    class Status(APIView):
        def get(self, request):
            return Response({"active": totp.is_active(request.user)})
    """
QUERYING_HELPER = """
    from .models import Authenticator

    def is_active(user):
        return Authenticator.objects.filter(user=user).exists()
    """
HELPER_CALLING_URLS = """
    from django.urls import path

    from . import api

    urlpatterns = [path("status/", api.Status.as_view(), name="status")]
    """
MODELS_OF_HELPER = """
    from django.db import models

    class Authenticator(models.Model):
        user = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    """


def test_a_drf_view_calling_another_modules_querying_function_is_partial(
    tmp_path: Path,
) -> None:
    files = {
        "app/api.py": HELPER_CALLING_VIEWS,
        "app/totp.py": QUERYING_HELPER,
        "app/models.py": MODELS_OF_HELPER,
    }
    _, findings = convert_urls(tmp_path, HELPER_CALLING_URLS, files)
    status = next(f for f in findings if f.details["name"] == "status")
    assert status.status == Status.partial
    assert status.reasons == [
        "stays on Django's ORM: Status: it calls totp.is_active (app.totp), which queries on "
        "Django's ORM"
    ]


THIRD_PARTY_BASE_VIEWS = """
    from allauth.account.views import ConfirmEmailView
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Verify(APIView, ConfirmEmailView):
        def post(self, request, *args, **kwargs):
            self.get_object().confirm(request)
            return Response({"detail": "ok"})
    """
THIRD_PARTY_BASE_URLS = """
    from django.urls import path

    from . import api

    urlpatterns = [path("verify/", api.Verify.as_view(), name="verify")]
    """


def test_a_drf_view_on_a_base_outside_src_and_drf_is_partial_naming_it(tmp_path: Path) -> None:
    _, findings = convert_urls(
        tmp_path, THIRD_PARTY_BASE_URLS, {"app/api.py": THIRD_PARTY_BASE_VIEWS}
    )
    verify = next(f for f in findings if f.details["name"] == "verify")
    assert verify.status == Status.partial
    assert verify.reasons == [
        "stays on Django's ORM: base allauth.account.views.ConfirmEmailView is outside SRC and "
        "not Django REST framework's: its code runs as written, what it queries is not read"
    ]


VIEWSETS = """
    from rest_framework import mixins, viewsets
    from rest_framework.decorators import action
    from rest_framework.response import Response

    from .models import Post

    class PostViewSet(viewsets.ModelViewSet):
        queryset = Post.objects.all()

        @action(detail=True, methods=["post"], url_path="set-status")
        def set_status(self, request, pk=None):
            return Response({})

        @action(detail=False)
        def recent(self, request):
            return Response([])

    class ReadOnly(mixins.ListModelMixin, viewsets.GenericViewSet):
        lookup_field = "slug"
    """


def test_a_routers_viewsets_get_drfs_routes_names_and_views(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter, SimpleRouter

        from . import sets

        router = SimpleRouter()
        router.register(r"posts", sets.PostViewSet)
        router.register(r"tags", sets.ReadOnly, basename="tag")

        urlpatterns = [path("api/", include(router.urls))]
        """,
        {"app/sets.py": VIEWSETS},
    )
    assert [(f.details["django_route"], f.details["name"]) for f in findings] == [
        ("^api/posts/$", "post-list"),
        ("^api/posts/recent/$", "post-recent"),
        ("^api/posts/(?P<pk>[^/.]+)/$", "post-detail"),
        ("^api/posts/(?P<pk>[^/.]+)/set-status/$", "post-set-status"),
        ("^api/tags/$", "tag-list"),
    ]
    assert "drf_router = SimpleRouter()" in code
    assert "drf_router.register('posts', sets.PostViewSet)" in code.replace('r"posts"', "'posts'")
    assert (
        "router.add_api_route('/api/posts/{pk:re_398326e6}/', class_view(drf_route(drf_router, "
        f"'post-detail'), pk=str), {EVERY_METHOD}, name='post-detail')"
    ) in code
    assert "from codemods.runtime.django.drf import drf_route" in code


def test_a_default_router_adds_the_api_root_and_format_suffix_twins(tmp_path: Path) -> None:
    _, findings = convert_urls(
        tmp_path,
        """
        from rest_framework.routers import DefaultRouter

        from . import sets

        api = DefaultRouter()
        api.register("tags", sets.ReadOnly, basename="tag")
        urlpatterns = api.urls
        """,
        {"app/sets.py": VIEWSETS},
    )
    assert [(f.details["django_route"], f.status) for f in findings] == [
        ("^tags/$", Status.converted),
        ("^tags\\.(?P<format>[a-z0-9]+)/?$", Status.converted),
        ("", Status.converted),
        ("<drf_format_suffix:format>", Status.manual),
    ]


def test_an_api_view_function_is_left_as_written_for_drfs_dispatch(tmp_path: Path) -> None:
    from codemods.django.rules.function_views import FunctionViewsRule

    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/models.py": "",
        "app/api.py": DRF_VIEWS,
        "app/urls.py": DRF_URLS,
    }
    root = write_project(tmp_path / "site", files)
    code, _ = convert_module(root, "app/api.py", [FunctionViewsRule])
    assert "django_view" not in code
    assert "def ping(request):" in code


def test_a_drf_routes_entry_lists_the_handlers_drf_does_not_answer_405(tmp_path: Path) -> None:
    _, findings = convert_urls(tmp_path, DRF_URLS, {"app/api.py": DRF_VIEWS})
    handlers = {f.details["name"]: f.details["drf_handlers"] for f in findings}
    assert handlers == {
        "ping": ["GET", "POST", "HEAD", "OPTIONS"],
        "post_count": ["GET", "HEAD", "OPTIONS"],
        "login": ["POST", "OPTIONS"],
        "posts": ["GET", "HEAD", "OPTIONS"],
    }


def test_router_options_lookups_and_unread_viewsets_as_drf_routes_them(tmp_path: Path) -> None:
    code, findings = convert_urls(
        tmp_path,
        """
        from rest_framework.routers import SimpleRouter

        from elsewhere import OutsideViewSet

        from . import sets

        api = SimpleRouter(trailing_slash=False)
        api.register("", sets.ReadOnly, basename="tag")
        api.register("outside", OutsideViewSet)
        api.register(PREFIX, sets.ReadOnly)
        api.register(prefix="kw", viewset=sets.ReadOnly, basename="kw")
        if DEBUG:
            api.register("debug", sets.ReadOnly, basename="debug")
        urlpatterns = []
        urlpatterns += api.urls
        """,
        {"app/sets.py": VIEWSETS},
    )
    assert [(f.details["django_route"], f.details["name"], f.status) for f in findings] == [
        ("^$", "tag-list", Status.converted),
        ("^outside/...", None, Status.manual),
        ("^...", None, Status.manual),
        ("^kw$", "kw-list", Status.converted),
        ("^...", None, Status.manual),
    ]
    assert findings[-1].reasons == [
        "api.register('debug', sets.ReadOnly, basename='debug') is not at the module's top "
        "level: register it by hand"
    ]
    assert findings[1].reasons == [
        "the viewset OutsideViewSet is not a class of SRC the codemod reads: register it by hand"
    ]
    assert "api = SimpleRouter(trailing_slash=False)" in code  # not renamed: not `router`


def test_a_viewsets_lookup_field_names_its_detail_parameter(tmp_path: Path) -> None:
    _, findings = convert_urls(
        tmp_path,
        """
        from rest_framework.routers import SimpleRouter

        from . import sets

        router = SimpleRouter()
        router.register("by-slug", sets.BySlug, basename="slugged")
        urlpatterns = router.urls
        """,
        {
            "app/sets.py": VIEWSETS
            + """
    class BySlug(viewsets.ReadOnlyModelViewSet):
        lookup_field = "slug"
        lookup_value_regex = "[-a-z]+"
    """
        },
    )
    assert [f.details["django_route"] for f in findings] == [
        "^by-slug/$",
        "^by-slug/(?P<slug>[-a-z]+)/$",
    ]


def test_a_viewset_bound_in_the_urlconf_answers_its_actions_methods(tmp_path: Path) -> None:
    _, findings = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import sets

        urlpatterns = [
            path("tags/", sets.ReadOnly.as_view({"get": "list"}), name="tags"),
        ]
        """,
        {"app/sets.py": VIEWSETS},
    )
    assert findings[0].details["drf_handlers"] == ["GET", "HEAD", "OPTIONS"]
    assert findings[0].status == Status.converted


def test_a_view_with_a_return_annotation_gets_no_response_model(tmp_path: Path) -> None:
    views = """
        from django.http import HttpResponse
        from django.views.decorators.http import require_GET


        @require_GET
        def page(request) -> HttpResponse:
            return HttpResponse("page")
        """
    code, _ = convert_urls(
        tmp_path,
        """
        from django.urls import path

        from . import views

        urlpatterns = [path("page/", views.page, name="page")]
        """,
        {"app/views.py": views},
    )
    assert code.splitlines()[-1] == (
        "router.add_api_route('/page/', views.page, methods=['GET'], response_model=None,"
        " name='page')"
    )


def test_a_base_bound_to_a_generic_view_under_type_checking_is_followed(tmp_path: Path) -> None:
    finding = served_class(
        tmp_path,
        """
        from typing import TYPE_CHECKING

        from django.views.generic import TemplateView

        if TYPE_CHECKING:
            _Base = TemplateView[object]
        else:
            _Base = TemplateView

        class Page(_Base):
            template_name = "page.html"
        """,
    )
    assert finding.status == Status.converted


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
