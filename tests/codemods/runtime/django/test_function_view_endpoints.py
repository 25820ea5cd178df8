"""`django_view` serves a legacy function view as written: its Django return annotation is not
taken for a FastAPI response model, and the typed request data parameters reach it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from codemods.runtime.django.app import install
from codemods.runtime.django.path_types import with_path_types, with_view_kwargs
from codemods.runtime.django.request import DjangoRequest
from codemods.runtime.django.views import django_view


@django_view
def annotated(request: DjangoRequest, task_id: int) -> HttpResponse:
    return HttpResponse(f"task {task_id}")


@django_view
def searched(request: DjangoRequest, *, q: str | None = Query(None)) -> HttpResponse:
    assert isinstance(request, HttpRequest)
    return HttpResponse(f"q={q}")


def test_a_view_annotated_with_a_django_response_is_served() -> None:
    app = FastAPI()
    install(app)
    app.add_api_route("/tasks/{task_id}/", annotated, methods=["GET"])

    answer = TestClient(app).get("/tasks/3/")

    assert (answer.status_code, answer.text) == (200, "task 3")


def test_a_query_parameter_reaches_the_view_beside_the_django_request() -> None:
    app = FastAPI()
    install(app)
    app.add_api_route("/search/", searched, methods=["GET"])

    assert TestClient(app).get("/search/?q=a&q=b").text == "q=b"  # Django's last value


@django_view
def keywords(request: DjangoRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(f"kwargs={kwargs}")


def test_a_view_taking_kwargs_gets_none_as_from_a_path_without_parameters() -> None:
    app = FastAPI()
    install(app)
    app.add_api_route("/login/", keywords, methods=["GET"])

    answer = TestClient(app).get("/login/?kwargs=1")

    assert (answer.status_code, answer.text) == (200, "kwargs={}")


@django_view
def typed(request: DjangoRequest, pk: int) -> HttpResponse:
    return HttpResponse(type(pk).__name__)


def test_a_route_with_its_own_path_types_passes_the_value_as_its_path_gives_it() -> None:
    app = FastAPI()
    install(app)
    app.add_api_route("/posts/{pk}/", typed, methods=["GET"])
    app.add_api_route("/regex/{pk}/", with_path_types(typed, pk=str), methods=["GET"])
    client = TestClient(app)

    assert client.get("/posts/3/").text == "int"
    assert client.get("/regex/3/").text == "str"  # a regex group: Django passes a string


@django_view
def sluggish(request: DjangoRequest, pk: int, slug: str) -> HttpResponse:
    return HttpResponse(f"{pk}:{slug!r}")


def test_a_routes_extra_view_arguments_reach_the_view_as_django_passes_them() -> None:
    app = FastAPI()
    install(app)
    app.add_api_route("/c/{pk}/", with_view_kwargs(sluggish, {"slug": ""}), methods=["GET"])

    assert TestClient(app).get("/c/4/").text == "4:''"


@django_view
def not_a_response(request: DjangoRequest) -> HttpResponse:
    return Http404()  # type: ignore[return-value]  # spirit's index_ajax does this


def test_a_view_returning_no_response_answers_500_as_in_django() -> None:
    app = FastAPI()
    install(app)
    app.add_api_route("/ajax/", not_a_response, methods=["GET"])

    answer = TestClient(app, raise_server_exceptions=False).get("/ajax/")

    assert answer.status_code == 500
