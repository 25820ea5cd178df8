"""A `FormView` of a plain form, served by `class_view` (a route the codemod reports
`converted`), answers what Django answers: the empty form, the form re-rendered with its errors
and a 200, the 302 to `success_url` once valid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.test import RequestFactory
from django.views.generic import FormView
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codemods.runtime.django.app import install
from codemods.runtime.django.views import class_view


class ContactForm(forms.Form):
    email = forms.EmailField()
    message = forms.CharField(min_length=5)


class Contact(FormView):
    form_class = ContactForm
    template_name = "rows/contact.html"
    success_url = "/thanks/"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = FastAPI()
    install(app)
    app.add_api_route(
        "/contact/", class_view(Contact.as_view()), methods=["GET", "POST", "PUT", "OPTIONS"]
    )
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def django_answer(request: Any) -> tuple[int, str, str | None]:
    response = Contact.as_view()(request)
    if hasattr(response, "render"):
        response.render()
    return response.status_code, response.content.decode(), response.get("Location")


def our_answer(response: Any) -> tuple[int, str, str | None]:
    return response.status_code, response.text, response.headers.get("location")


def test_the_empty_form_is_djangos(client: TestClient) -> None:
    assert our_answer(client.get("/contact/")) == django_answer(RequestFactory().get("/contact/"))


@pytest.mark.parametrize(
    "data", [{}, {"email": "nope", "message": "hi"}, {"email": "a@b.c", "message": "hi"}]
)
def test_an_invalid_form_is_re_rendered_with_its_errors_and_a_200(
    client: TestClient, data: dict[str, str]
) -> None:
    ours = our_answer(client.post("/contact/", data=data))
    assert ours == django_answer(RequestFactory().post("/contact/", data))
    assert ours[0] == 200
    assert "errorlist" in ours[1]


def test_a_valid_form_redirects_to_the_success_url(client: TestClient) -> None:
    data = {"email": "a@example.com", "message": "hello there"}
    ours = our_answer(client.post("/contact/", data=data, follow_redirects=False))
    assert ours == django_answer(RequestFactory().post("/contact/", data))
    assert ours[0::2] == (302, "/thanks/")
