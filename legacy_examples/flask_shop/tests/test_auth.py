"""Session login with CSRF-protected forms: log in, log out, register."""

from __future__ import annotations

from .helpers import ALICE, Client, csrf_token, form_token, location_path, log_in, register


def test_the_login_page_carries_a_csrf_token(client: Client) -> None:
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert csrf_token(page.text)


def test_logging_in_without_the_csrf_token_is_refused(client: Client) -> None:
    response = client.post("/auth/login", data=ALICE)
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.text


def test_a_wrong_password_shows_the_form_again(client: Client) -> None:
    token = form_token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"csrf_token": token, "email": ALICE["email"], "password": "nope"}
    )
    assert response.status_code == 200
    assert "Invalid email or password." in response.text


def test_logging_in_redirects_home_and_opens_a_session(client: Client) -> None:
    response = log_in(client, **ALICE)
    assert location_path(response) == "/"
    me = client.get("/api/me").json()
    assert me["email"] == ALICE["email"]
    assert me["is_admin"] is False


def test_logging_in_follows_a_local_next_page(client: Client) -> None:
    token = form_token(client, "/auth/login")
    response = client.post(
        "/auth/login", params={"next": "/orders"}, data={"csrf_token": token, **ALICE}
    )
    assert location_path(response) == "/orders"


def test_logging_in_never_follows_next_to_another_site(client: Client) -> None:
    token = form_token(client, "/auth/login")
    response = client.post(
        "/auth/login",
        params={"next": "https://evil.example/steal"},
        data={"csrf_token": token, **ALICE},
    )
    assert response.headers["location"] == "/"


def test_the_api_answers_401_json_to_anonymous_users(client: Client) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_logging_out_ends_the_session(client: Client) -> None:
    log_in(client, **ALICE)
    response = client.get("/auth/logout")
    assert response.status_code == 302
    assert client.get("/api/me").status_code == 401


def test_registering_creates_an_account_and_logs_in(client: Client) -> None:
    credentials = register(client, name="Rita Register")
    me = client.get("/api/me").json()
    assert me["email"] == credentials["email"]
    assert me["name"] == "Rita Register"


def registration(client: Client, **fields: str) -> str:
    token = form_token(client, "/auth/register")
    data = {
        "csrf_token": token,
        "name": "Someone",
        "email": "someone@example.com",
        "password": "long-enough",
        "confirm": "long-enough",
        **fields,
    }
    response = client.post("/auth/register", data=data)
    assert response.status_code == 200
    return response.text


def test_registration_requires_matching_passwords(client: Client) -> None:
    assert "Passwords must match" in registration(client, confirm="something-else")


def test_registration_requires_a_long_enough_password(client: Client) -> None:
    page = registration(client, password="short", confirm="short")
    assert "Field must be between 8 and 128 characters long." in page


def test_registration_requires_a_valid_email(client: Client) -> None:
    assert "Invalid email address." in registration(client, email="not-an-email")


def test_registration_refuses_a_taken_email(client: Client) -> None:
    assert "An account with this email already exists." in registration(
        client, email=ALICE["email"]
    )


def test_registration_refuses_a_disposable_email_address(client: Client) -> None:
    page = registration(client, email="someone@Mailinator.com")
    assert "Please use an address you will keep." in page


def test_registration_says_how_long_a_name_may_be(client: Client) -> None:
    assert "A name has 2 to 100 characters." in registration(client, name="A")
