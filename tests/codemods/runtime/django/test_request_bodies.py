"""The Django request sees the body FastAPI has already parsed: urlencoded and multipart forms
(fields and files) and raw JSON."""

from __future__ import annotations

from tests.codemods.runtime.django.sides import form_token


def test_a_multipart_form_reaches_both_sides_with_its_csrf_field_and_file(fastapi_client):
    token = form_token(fastapi_client.get("/page/").text)

    response = fastapi_client.post(
        "/upload/",
        data={"csrfmiddlewaretoken": token, "note": "hi"},
        files={"file": ("notes.txt", b"12345", "text/plain")},
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"fastapi": ["notes.txt", 5], "django": ["notes.txt", 5, "hi"]}


def test_a_multipart_form_without_the_csrf_field_is_refused(fastapi_client):
    fastapi_client.get("/page/")

    response = fastapi_client.post(
        "/upload/", files={"file": ("notes.txt", b"12345", "text/plain")}
    )

    assert response.status_code == 403


def test_a_malformed_multipart_body_is_no_error_for_a_view_that_never_reads_it(fastapi_client):
    response = fastapi_client.get("/whoami/", headers={"Content-Type": "multipart/form-data"})

    assert response.status_code == 200
