"""What becomes of a function view's route: a view taking `*args`/`**kwargs` is served when no
path gives it parameters (Django passes it none either), and a view delegating to a class-based
view runs Django's generic code (its route is `partial`)."""

from __future__ import annotations

from pathlib import Path

from codemods.django.plans import plan
from tests.codemods.django.support import project_analysis, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("login/", views.login), path("posts/<int:pk>/", views.detail)]
"""
VIEWS = """
    from django.contrib.auth import views as django_views
    from django.http import HttpResponse

    _login_view = django_views.LoginView.as_view()


    def login(request, **kwargs):
        if request.user.is_authenticated:
            return HttpResponse("already")
        return _login_view(request, **kwargs)


    def detail(request, **kwargs):
        return HttpResponse(str(kwargs))
"""


def plans(tmp_path: Path) -> dict[str, tuple[str, list[str]]]:
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": VIEWS})
    analysis = project_analysis(root)
    found = {}
    for pattern in analysis.patterns:
        result = plan(analysis, pattern)
        found[pattern.view.name] = (str(result.status), result.reasons)
    return found


def test_a_view_taking_kwargs_is_served_where_no_path_gives_parameters(tmp_path: Path) -> None:
    status, _ = plans(tmp_path)["login"]
    assert status == "partial"  # served: only the class-based view it calls keeps it partial


def test_a_view_taking_kwargs_from_a_path_stays_manual(tmp_path: Path) -> None:
    assert plans(tmp_path)["detail"] == (
        "manual",
        ["view detail takes *args/**kwargs and a path gives it parameters"],
    )


def test_a_view_calling_a_class_based_view_says_so(tmp_path: Path) -> None:
    _, reasons = plans(tmp_path)["login"]
    assert (
        "stays on Django's ORM: it calls the class-based view _login_view (Django's generic "
        "code, its queries on Django's ORM)"
    ) in reasons


HELPERS = """
    from .models import Post


    def mark_read(post_id):  # reverse(): outside the query mapping, so no translated twin
        Post.objects.filter(pk=post_id).reverse().update(title="read")


    class Importer:
        def run(self, rows):
            for row in rows:
                Post.objects.create(title=row)


    def shout(text):
        return text.upper()
"""
CALLING_VIEWS = """
    from django.http import HttpResponse

    from .helpers import Importer, mark_read, shout


    def login(request):
        mark_read(1)
        return HttpResponse("ok")


    def detail(request, pk):
        Importer().run(["a"])
        return HttpResponse(shout("ok"))
"""
MODELS = """
    from django.db import models


    class Post(models.Model):
        title = models.CharField(max_length=20)
"""


def test_a_view_calling_a_querying_function_of_another_module_is_partial(tmp_path: Path) -> None:
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/helpers.py": HELPERS, "blog/models.py": MODELS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": CALLING_VIEWS})
    analysis = project_analysis(root)
    found = {p.view.name: plan(analysis, p) for p in analysis.patterns}

    assert found["login"].status == "partial"
    assert (
        "stays on Django's ORM: it calls mark_read (blog.helpers), which queries on Django's ORM"
        in found["login"].reasons
    )
    assert any("it calls Importer (blog.helpers)" in r for r in found["detail"].reasons)
    assert not any("shout" in r for r in found["detail"].reasons)


def test_a_view_reaching_another_modules_queries_through_a_helper_is_partial(
    tmp_path: Path,
) -> None:
    views = CALLING_VIEWS.replace(
        "def login(request):\n        mark_read(1)",
        "def _mark(pk):\n        mark_read(pk)\n\n\n    def login(request):\n        _mark(1)",
    )
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/helpers.py": HELPERS, "blog/models.py": MODELS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    analysis = project_analysis(root)
    login = plan(analysis, analysis.patterns[0])

    assert login.status == "partial"
    assert any("it calls _mark()" in reason for reason in login.reasons)


def test_a_view_calling_a_querying_static_method_of_another_module_calls_its_twin(
    tmp_path: Path,
) -> None:
    helpers = HELPERS + (
        "\n\n    class Codes:\n        @staticmethod\n        def unused(pk):\n"
        "            return Post.objects.filter(pk=pk).count()\n"
    )
    views = CALLING_VIEWS.replace("Importer, mark_read", "Codes, Importer, mark_read").replace(
        "mark_read(1)\n", "Codes.unused(1)\n"
    )
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/helpers.py": helpers, "blog/models.py": MODELS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    analysis = project_analysis(root)
    login = next(plan(analysis, p) for p in analysis.patterns if p.view.name == "login")

    assert (login.status, login.reasons) == ("converted", [])
    calls = analysis.helper_calls[(("blog", "views.py"), "login")]
    assert [(c.local, c.name, c.twin) for c in calls] == [
        ("Codes.unused", "Codes.unused", "Codes_unused_with_session")
    ]


def test_a_view_calling_a_querying_method_of_another_decorator_says_it_has_no_twin(
    tmp_path: Path,
) -> None:
    helpers = HELPERS + (
        "\n\n    class Codes:\n        @classmethod\n        @cached\n"
        "        def unused(cls, pk):\n"
        "            return Post.objects.filter(pk=pk).count()\n"
    )
    views = CALLING_VIEWS.replace("Importer, mark_read", "Codes, Importer, mark_read").replace(
        "mark_read(1)\n", "Codes.unused(1)\n"
    )
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/helpers.py": helpers, "blog/models.py": MODELS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    analysis = project_analysis(root)
    login = next(plan(analysis, p) for p in analysis.patterns if p.view.name == "login")

    assert login.status == "partial"
    assert login.reasons[-2:] == [
        "stays on Django's ORM: it calls Codes.unused (blog.helpers), which queries on "
        "Django's ORM",
        "stays on Django's ORM: Codes.unused gets no translated twin: Codes.unused is not a "
        "static or class method of a module-level class (its only decorator), or rebinds its "
        "class parameter",
    ]


def test_a_helper_called_through_its_module_says_what_a_call_by_its_name_would_meet(
    tmp_path: Path,
) -> None:
    views = CALLING_VIEWS.replace(
        "from .helpers import Importer, mark_read, shout",
        "from . import helpers\n    from .helpers import Importer, shout",
    ).replace("mark_read(1)\n", "helpers.mark_read(1)\n")
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/helpers.py": HELPERS, "blog/models.py": MODELS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    analysis = project_analysis(root)
    login = next(plan(analysis, p) for p in analysis.patterns if p.view.name == "login")

    assert login.status == "partial"
    assert login.reasons[-1].startswith(
        "stays on Django's ORM: helpers.mark_read gets no translated twin: it is called through "
        "its module (only a name imported alone is); called by its name: "
    )
    assert "reverse()" in login.reasons[-1]
