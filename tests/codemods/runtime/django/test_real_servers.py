"""The legacy blog under gunicorn and the FastAPI app on the Django runtime under uvicorn, on one
database (a SQLite file, or PostgreSQL): one browser logged in on either is logged in on the
other, over real HTTP, and CSRF tokens and messages cross both ways."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from legacy_examples.django_blog.blog.demo_data import ALICE
from legacy_examples.django_blog.testing_server import (
    READY_PATH,
    blog_environment,
    gunicorn_argv,
    prepare_database,
)
from tests.codemods.runtime.django.sides import LEGACY_LOGIN, form_token
from tests.support import blog_settings, services
from tests.support.servers import free_port, running_server, venv_command

pytestmark = pytest.mark.slow
FASTAPI_APP = "tests.codemods.runtime.django.fastapi_app:create_app"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def database_env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A migrated and seeded blog database (the demo users included)."""
    if request.param == "sqlite":
        env = blog_environment(
            sqlite_path=tmp_path_factory.mktemp("blog") / "blog.sqlite3",
            settings_module=blog_settings.__name__,
        )
        prepare_database(env)
        yield env
        return
    services.require_postgres()
    with services.fresh_postgres_database() as url:
        env = blog_environment(database_url=url, settings_module=blog_settings.__name__)
        prepare_database(env)
        yield env


@pytest.fixture(scope="module")
def sides(database_env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """The legacy and the FastAPI base URLs."""
    legacy_port, fastapi_port = free_port(), free_port()
    fastapi_argv = [venv_command("uvicorn"), FASTAPI_APP, "--factory", "--port", str(fastapi_port)]
    with (
        running_server(
            gunicorn_argv(legacy_port, workers=1),
            legacy_port,
            env=database_env,
            ready_path=READY_PATH,
        ) as legacy,
        running_server(fastapi_argv, fastapi_port, env=database_env, ready_path="/plain/") as new,
    ):
        yield legacy, new


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    """Cookies are per host, not per port: both servers see the same ones, as in a browser."""
    with httpx.Client(timeout=30.0, follow_redirects=False) as client:
        yield client


def log_in(browser: httpx.Client, base_url: str, action: str) -> None:
    page = browser.get(base_url + LEGACY_LOGIN)
    response = browser.post(
        base_url + action,
        data={
            "username": ALICE.username,
            "password": ALICE.password,
            "csrfmiddlewaretoken": form_token(page.text),
        },
    )
    assert response.status_code == 302, response.text


def test_a_login_on_the_legacy_server_is_a_login_on_the_fastapi_server(sides, browser):
    legacy, new = sides
    log_in(browser, legacy, LEGACY_LOGIN)

    me = browser.get(new + "/whoami/").json()

    assert me == {"authenticated": True, "username": ALICE.username}


def test_a_login_on_the_fastapi_server_is_a_login_on_the_legacy_server(sides, browser):
    legacy, new = sides
    log_in(browser, new, "/login/")

    me = browser.get(legacy + "/api/me/")

    assert me.status_code == 200
    assert me.json()["username"] == ALICE.username


def test_a_csrf_token_from_a_legacy_page_passes_on_the_fastapi_server(sides, browser):
    legacy, new = sides
    token = form_token(browser.get(legacy + LEGACY_LOGIN).text)

    response = browser.post(new + "/form/", data={"title": "t", "csrfmiddlewaretoken": token})

    assert (response.status_code, response.text) == (200, "accepted t")


def test_a_csrf_token_from_a_fastapi_page_passes_on_the_legacy_server(sides, browser):
    legacy, new = sides
    token = form_token(browser.get(new + LEGACY_LOGIN).text)

    response = browser.post(
        legacy + LEGACY_LOGIN,
        data={"username": ALICE.username, "password": ALICE.password, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302


def test_messages_cross_between_the_servers_both_ways(sides, browser):
    legacy, new = sides
    slug = browser.get(legacy + "/api/posts/").json()["results"][0]["slug"]
    comment_page = f"{legacy}/posts/{slug}/comment/"
    token = form_token(browser.get(comment_page).text)
    browser.post(
        comment_page,
        data={"author_name": "Ann", "body": "A kind comment.", "csrfmiddlewaretoken": token},
    )

    assert browser.get(new + "/messages/").json() == [
        "Thanks! Your comment will appear once it is approved."
    ]

    browser.post(
        new + "/messages/", data={"text": "From the new side", "csrfmiddlewaretoken": token}
    )
    assert "From the new side</li>" in browser.get(legacy + "/").text
