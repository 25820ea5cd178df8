"""A small FastAPI app on the django_blog project's settings, using the Django runtime the way
generated routes will: session, user, CSRF, messages and templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from fastapi import FastAPI, Form, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.responses import Response

from codemods.runtime.django.app import install
from codemods.runtime.django.dependencies import CsrfProtected, DjangoSession, DjangoUser
from codemods.runtime.django.guards import LoginRequired, guard
from codemods.runtime.django.request import DjangoRequest
from codemods.runtime.django.responses import to_starlette
from codemods.runtime.django.templates import render

StaffOrForbidden = guard(permission_required("blog.delete_post", raise_exception=True))
SETTINGS = "legacy_examples.django_blog.config.settings"


def create_app() -> FastAPI:
    app = FastAPI()
    install(app, SETTINGS)

    @app.get("/plain/")
    def plain() -> PlainTextResponse:
        return PlainTextResponse("no Django here")

    @app.get("/whoami/")
    def whoami(user: DjangoUser) -> dict[str, Any]:
        return {"authenticated": user.is_authenticated, "username": user.get_username()}

    @app.get("/session/")
    def read_session(session: DjangoSession) -> dict[str, Any]:
        return {"items": dict(session.items()), "key": session.session_key}

    @app.post("/session/", dependencies=[CsrfProtected])
    def write_session(session: DjangoSession, key: str = Form(), value: str = Form()) -> Response:
        session[key] = value
        return PlainTextResponse("saved")

    @app.post("/login/", dependencies=[CsrfProtected])
    def log_in(
        http_request: DjangoRequest, username: str = Form(), password: str = Form()
    ) -> Response:
        user = authenticate(http_request, username=username, password=password)
        if user is None:
            return PlainTextResponse("bad credentials", 400)
        login(http_request, user)
        return to_starlette(HttpResponseRedirect("/whoami/"))

    @app.post("/logout/", dependencies=[CsrfProtected])
    def log_out(http_request: DjangoRequest) -> Response:
        logout(http_request)
        return PlainTextResponse("bye")

    @app.post("/form/", dependencies=[CsrfProtected])
    def protected_form(title: str = Form("")) -> Response:
        return PlainTextResponse(f"accepted {title}")

    @app.post("/json/", dependencies=[CsrfProtected])
    def protected_json(payload: dict[str, Any]) -> JSONResponse:
        return JSONResponse(payload)

    @app.post("/upload/", dependencies=[CsrfProtected])
    async def upload(http_request: DjangoRequest, file: UploadFile) -> dict[str, Any]:
        django_file = http_request.FILES["file"]
        return {
            "fastapi": [file.filename, len(await file.read())],
            "django": [django_file.name, django_file.size, http_request.POST.get("note")],
        }

    @app.post("/messages/", dependencies=[CsrfProtected])
    def add_message(http_request: DjangoRequest, text: str = Form()) -> Response:
        messages.success(http_request, text)
        return to_starlette(HttpResponseRedirect("/"))

    @app.get("/messages/")
    def list_messages(http_request: DjangoRequest) -> list[str]:
        return [str(message) for message in messages.get_messages(http_request)]

    @app.get("/async/session/")
    async def read_session_async(session: DjangoSession, user: DjangoUser) -> dict[str, Any]:
        session["visits"] = session.get("visits", 0) + 1
        return {"visits": session["visits"], "username": user.get_username()}

    @app.get("/async/untouched/")
    async def untouched_session(session: DjangoSession) -> PlainTextResponse:
        return PlainTextResponse("did not look")

    @app.get("/session-and-user/")
    def session_and_user(session: DjangoSession, user: DjangoUser) -> dict[str, Any]:
        first, again = dict(session.items()), dict(session.items())
        return {"same": first == again, "username": user.get_username()}

    @app.post("/session/interrupted/")
    def interrupted(session: DjangoSession) -> Response:
        from django.contrib.sessions.models import Session

        session["seen"] = True
        Session.objects.filter(session_key=session.session_key).delete()  # a concurrent logout
        return PlainTextResponse("too late")

    @app.get("/accounts/login/")
    def login_page(http_request: DjangoRequest) -> Response:
        from django.contrib.auth.forms import AuthenticationForm

        context = {"form": AuthenticationForm(http_request), "next": ""}
        return render(http_request, "registration/login.html", context)

    @app.get("/drafts-new/", dependencies=[LoginRequired])
    def drafts(user: DjangoUser) -> dict[str, str]:
        return {"drafts of": user.get_username()}

    @app.get("/staff-only/", dependencies=[guard(permission_required("blog.delete_post"))])
    def staff_only() -> PlainTextResponse:
        return PlainTextResponse("allowed")

    @app.get("/staff-only-403/", dependencies=[StaffOrForbidden])
    def staff_only_403() -> PlainTextResponse:
        return PlainTextResponse("allowed")

    @app.get("/posts-new/{slug}/")
    def post_detail(slug: str) -> dict[str, str]:
        from legacy_examples.django_blog.blog.models import Post

        post = get_object_or_404(Post, slug=slug)
        return {"title": post.title}

    @app.get("/page/")
    def page(http_request: DjangoRequest) -> Response:
        return render(http_request, "runtime_page.html", {"title": "From FastAPI"})

    return app
