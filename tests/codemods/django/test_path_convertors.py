"""The runtime's convertors for Django's path converters: a path Django would not match answers
404 (not FastAPI's 422), and the value is what Django passes the view."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from codemods.runtime.django.convertors import django_convertors, regex_convertor

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
