"""The runtime's convertors for Django's path converters: a path Django would not match answers
404 (not FastAPI's 422), and the value is what Django passes the view; a converter the project
registers with Django works through its own regex, `to_python` and `to_url`."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import register_converter
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from codemods.runtime.django.convertors import (
    django_convertors,
    regex_convertor,
    registered_convertor,
)

KEY = uuid.UUID("12345678-abcd-4abc-8abc-1234567890ab")


def echo(value: Any) -> dict[str, str]:
    return {"type": type(value).__name__, "value": str(value)}


@pytest.fixture(scope="module")
def client() -> TestClient:
    django_convertors()
    regex_convertor("re_year_test", "[0-9]{4}")
    router = APIRouter()
    router.add_api_route("/slug/{value:django_slug}/", echo)
    router.add_api_route("/uuid/{value:django_uuid}/", echo)
    router.add_api_route("/path/{value:django_path}", echo)
    router.add_api_route("/year/{value:re_year_test}/", echo)
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


@pytest.mark.parametrize(
    ("url", "answer"),
    [
        ("/slug/a-b_9/", {"type": "str", "value": "a-b_9"}),
        (f"/uuid/{KEY}/", {"type": "UUID", "value": str(KEY)}),
        ("/path/a/b/c", {"type": "str", "value": "a/b/c"}),
        ("/year/2024/", {"type": "str", "value": "2024"}),
    ],
)
def test_a_matching_path_passes_django_s_value(client: TestClient, url: str, answer: Any) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.json() == answer


@pytest.mark.parametrize(
    "url",
    [
        "/slug/a.b/",
        f"/uuid/{str(KEY).upper()}/",  # Django's uuid converter is lower-case only
        "/path/",  # Django's path converter needs one character at least
        "/year/24/",
    ],
)
def test_a_path_django_would_not_match_is_a_404(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


class FourDigitYear:
    """A project's own converter, as Django's documentation writes one."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        if value == "0000":
            raise ValueError("no year zero")
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


@pytest.fixture(scope="module")
def registered_client() -> TestClient:
    register_converter(FourDigitYear, "yyyy")
    router = APIRouter()
    router.add_api_route(
        f"/archive/{{value:{registered_convertor('yyyy')}}}/", echo, name="archive"
    )
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_a_registered_converter_passes_what_its_to_python_returns(
    registered_client: TestClient,
) -> None:
    response = registered_client.get("/archive/2024/")
    assert response.json() == {"type": "int", "value": "2024"}


@pytest.mark.parametrize("url", ["/archive/24/", "/archive/year/"])
def test_a_path_a_registered_converters_regex_does_not_match_is_a_404(
    registered_client: TestClient, url: str
) -> None:
    assert registered_client.get(url).status_code == 404


def test_a_registered_converters_value_error_is_a_404(registered_client: TestClient) -> None:
    assert registered_client.get("/archive/0000/").status_code == 404


def test_a_registered_converter_builds_urls_with_its_to_url(registered_client: TestClient) -> None:
    app = registered_client.app
    assert isinstance(app, FastAPI)
    assert app.url_path_for("archive", value=7) == "/archive/0007/"


def test_a_converter_django_does_not_have_registered_is_named() -> None:
    with pytest.raises(LookupError, match="no path converter 'nowhere'"):
        registered_convertor("nowhere")
