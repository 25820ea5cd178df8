"""Session login and logout (django.contrib.auth views) and login_required."""

from legacy_examples.django_blog.blog.demo_data import ALICE

from .helpers import LOGIN_URL, csrf_token


def test_me_redirects_anonymous_visitors_to_the_login_page(http):
    response = http.get("/api/me/")

    assert response.status_code == 302
    assert response.headers["location"] == "/accounts/login/?next=/api/me/"


def test_me_describes_the_logged_in_user(alice):
    response = alice.get("/api/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert response.json()["is_staff"] is False
    assert response.json()["draft_count"] >= 2


def test_login_redirects_to_the_next_page(http):
    page = http.get(LOGIN_URL, params={"next": "/drafts/"})
    fields = {"username": ALICE.username, "password": ALICE.password, "next": "/drafts/"}

    response = http.post(LOGIN_URL, data={**fields, "csrfmiddlewaretoken": csrf_token(page.text)})

    assert response.status_code == 302
    assert response.headers["location"] == "/drafts/"
    assert http.get("/drafts/").status_code == 200


def test_login_with_a_wrong_password_shows_the_form_again(http):
    page = http.get(LOGIN_URL)

    response = http.post(
        LOGIN_URL,
        data={
            "username": "alice",
            "password": "wrong",
            "csrfmiddlewaretoken": csrf_token(page.text),
        },
    )

    assert response.status_code == 200
    assert "didn't match" in response.text
    assert http.get("/api/me/").status_code == 302


def test_login_without_a_csrf_token_is_forbidden(http):
    http.get(LOGIN_URL)

    response = http.post(LOGIN_URL, data={"username": ALICE.username, "password": ALICE.password})

    assert response.status_code == 403


def test_logout_ends_the_session(alice):
    page = alice.get("/")

    response = alice.post("/accounts/logout/", data={"csrfmiddlewaretoken": csrf_token(page.text)})

    assert response.status_code == 302
    assert response.headers["location"] == "/"
    assert alice.get("/api/me/").status_code == 302
