"""The request-data rule: what a function view reads of the request becomes typed FastAPI
parameters, each giving the view the value Django's read gives."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.rules.request_data import RequestDataRule
from tests.codemods.django.support import convert_module, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("one/", views.one), path("posts/<int:pk>/", views.post)]
"""


def convert_views(tmp_path: Path, views: str) -> str:
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    code, _ = convert_module(root, "blog/views.py", [RequestDataRule])
    return code


def body_of(code: str) -> str:
    """The generated code after the imports the function-views rule adds."""
    return code.split("from codemods.runtime.django.request import DjangoRequest\n", 1)[1]


def test_a_query_value_becomes_an_optional_query_parameter(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            q = request.GET.get("q")
            return q
        """,
    )
    assert body_of(code) == dedent(
        """\
        from fastapi import Query
        @django_view
        def one(request: DjangoRequest, *, q: str | None = Query(None)):
            return q
        """
    )


def test_a_literal_default_becomes_the_parameters_default(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            page = request.GET.get("page", "1")
            size = request.GET.get("size", 20)
            return page, size
        """,
    )
    assert 'page: str = Query("1")' in code
    assert "size: str | int = Query(20)" in code
    assert "    return page, size\n" in code
    assert "request.GET" not in code


def test_a_default_computed_in_the_view_is_applied_where_it_was_read(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            target = request.GET.get("next", request.path)
            return target
        """,
    )
    assert 'next_: str | None = Query(None, alias="next")' in code  # `next` is a builtin
    assert "    target = (next_ if next_ is not None else request.path)\n" in code


def test_getlist_becomes_a_list_parameter(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            return request.GET.getlist("tag")
        """,
    )
    assert "tag: list[str] = Query([])" in code
    assert "    return tag\n" in code


def test_a_missing_key_read_with_brackets_still_raises_djangos_error(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            q = request.GET["q"]
            return q
        """,
    )
    assert "from codemods.runtime.django.request_data import present" in code
    assert "q: str | None = Query(None)" in code
    assert '    q = present(q, "q")\n' in code


def test_a_form_field_read_with_an_empty_default_is_a_form_string(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            title = request.POST.get("title", "")
            return title
        """,
    )
    assert 'title: str = Form("")' in code
    assert "    return title\n" in code


def test_other_form_reads_keep_every_value_and_take_the_last(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            body = request.POST.get("body")
            colour = request.POST.get("colour", "red")
            return body, colour, request.POST.getlist("tag")
        """,
    )
    assert "body: list[str] = Form([])" in code
    assert "    body = last(body)\n" in code
    assert '    colour = last(colour, "red")\n' in code
    assert "    return body, colour, tag\n" in code


def test_headers_and_meta_names_are_one_header_joined_as_django_joins_them(
    tmp_path: Path,
) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            token = request.headers.get("X-Token")
            also = request.META.get("HTTP_X_TOKEN", "")
            agent = request.headers["User-Agent"]
            return token, also, agent
        """,
    )
    assert 'x_token: list[str] = Header([], alias="x-token")' in code
    assert "    token = joined(x_token)\n" in code
    assert '    also = joined(x_token, "")\n' in code
    assert '    agent = present(joined(user_agent), "user-agent", KeyError)\n' in code


def test_a_meta_key_that_is_not_a_header_stays(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            return request.META.get("REMOTE_ADDR")
        """,
    )
    assert 'request.META.get("REMOTE_ADDR")' in code
    assert "fastapi" not in code


def test_a_json_body_read_first_becomes_a_parameter(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        import json


        def post(request, pk):
            payload = json.loads(request.body)
            return payload
        """,
    )
    assert "def post(request: DjangoRequest, pk: int, *, payload: JsonBody):" in code
    assert "json.loads" not in code


def test_a_json_body_read_after_other_statements_stays(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        import json


        def post(request, pk):
            if request.method != "POST":
                return None
            payload = json.loads(request.body)
            return payload
        """,
    )
    assert "payload = json.loads(request.body)" in code
    assert "JsonBody" not in code


def test_a_name_the_view_uses_otherwise_is_not_taken(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            q = "preset"
            found = request.GET.get("q")
            return q, found
        """,
    )
    assert 'q_query: str | None = Query(None, alias="q")' in code
    assert "    found = q_query\n" in code
    assert '    q = "preset"\n' in code


def test_a_path_parameter_is_never_shadowed(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def post(request, pk):
            pk = request.GET.get("pk")
            return pk
        """,
    )
    assert 'pk_query: str | None = Query(None, alias="pk")' in code
    assert "    pk = pk_query\n" in code


def test_a_view_that_rebinds_its_request_is_left_as_written(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            request = request.original
            return request.GET.get("q")
        """,
    )
    assert 'request.GET.get("q")' in code
    assert "Query" not in code


def test_files_stay_on_the_django_request(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        def one(request):
            return request.FILES.get("upload")
        """,
    )
    assert 'request.FILES.get("upload")' in code
