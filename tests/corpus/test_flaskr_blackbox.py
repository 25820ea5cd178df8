"""flaskr over HTTP, through the strangler front: what flaskr's own tests/ assert, asked of a real
server, for flaskr itself (`legacy`) and for the codemod's output of it, unedited (`new`).

Each test uses users and posts of its own (the server is shared), except the seeded user
`test` and its post 1, which no test changes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.corpus.flaskr_site import convert, copy_flaskr, write_config
from tests.support.servers import running_front

pytestmark = pytest.mark.corpus

CLIENTS = 16
ROUNDS = 4  # each client: register, log in, then per round create, index, update, delete


def serve(tmp_path_factory: pytest.TempPathFactory, side: str) -> Iterator[str]:
    site = copy_flaskr(tmp_path_factory.mktemp(f"flaskr-{side}"))
    if side == "new":
        result = convert(site)
        assert result.returncode == 0, result.stderr[-2000:]
    config = write_config(site, side)
    with running_front(config, env={"PYTHONPATH": str(site)}) as url:
        yield url


# One front per side for the session (and its start-up failure kept, not retried), whatever
# order the tests of the two sides run in.
@pytest.fixture(scope="session")
def legacy_front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory, "legacy")


@pytest.fixture(scope="session")
def new_front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory, "new")


@pytest.fixture(
    params=[
        pytest.param("legacy", marks=pytest.mark.xdist_group("corpus-flaskr")),
        pytest.param("new", marks=pytest.mark.xdist_group("corpus-flaskr")),
    ],
)
def base_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_front")
    return url


def client(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def register(http: httpx.Client, username: str, password: str = "pw") -> httpx.Response:
    return http.post("/auth/register", data={"username": username, "password": password})


def login(http: httpx.Client, username: str = "test", password: str = "test") -> httpx.Response:
    return http.post("/auth/login", data={"username": username, "password": password})


def new_user(base_url: str) -> httpx.Client:
    """A client logged in as a user of its own."""
    http = client(base_url)
    username = unique("user")
    assert register(http, username).status_code == 302
    assert login(http, username, "pw").status_code == 302
    return http


def create_post(http: httpx.Client, title: str, body: str = "body") -> int:
    """Create a post; its id, read from the edit link its author sees on the index."""
    assert http.post("/create", data={"title": title, "body": body}).status_code == 302
    page = http.get("/").text
    match = re.search(rf"<h1>{re.escape(title)}</h1>.*?href=\"/(\d+)/update\"", page, re.S)
    assert match, f"post {title!r} not on the index"
    return int(match.group(1))


def test_the_register_page_renders(base_url: str) -> None:
    assert client(base_url).get("/auth/register").status_code == 200


def test_registering_redirects_to_the_login_page(base_url: str) -> None:
    http = client(base_url)
    username = unique("a")
    response = register(http, username)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert login(http, username, "pw").headers["Location"] == "/"


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", "Username is required."),
        ("a", "", "Password is required."),
        ("test", "test", "already registered"),
    ],
)
def test_registration_errors_are_flashed(
    base_url: str, username: str, password: str, message: str
) -> None:
    response = register(client(base_url), username, password)
    assert response.status_code == 200
    assert message in response.text
    assert '<div class="flash">' in response.text


def test_the_login_page_renders(base_url: str) -> None:
    assert client(base_url).get("/auth/login").status_code == 200


def test_logging_in_redirects_to_the_index_and_loads_the_user(base_url: str) -> None:
    http = client(base_url)
    response = login(http)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = http.get("/").text
    assert "<span>test</span>" in page  # g.user, loaded from the session
    assert "Log Out" in page


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("a-nobody", "test", "Incorrect username."), ("test", "a", "Incorrect password.")],
)
def test_login_errors_are_flashed(
    base_url: str, username: str, password: str, message: str
) -> None:
    response = login(client(base_url), username, password)
    assert response.status_code == 200
    assert message in response.text


def test_logging_out_forgets_the_user(base_url: str) -> None:
    http = client(base_url)
    login(http)
    response = http.get("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = http.get("/").text
    assert "Log In" in page
    assert "<span>test</span>" not in page


def test_the_index_shows_posts_and_edit_links_to_their_author(base_url: str) -> None:
    http = client(base_url)
    anonymous = http.get("/")
    assert anonymous.status_code == 200
    assert "Log In" in anonymous.text
    assert "Register" in anonymous.text
    login(http)
    page = http.get("/").text
    assert "test title" in page
    assert "by test on 2018-01-01" in page
    assert "test\nbody" in page
    assert 'href="/1/update"' in page


@pytest.mark.parametrize("path", ["/create", "/1/update", "/1/delete"])
def test_writing_needs_a_logged_in_user(base_url: str, path: str) -> None:
    response = client(base_url).post(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"


def test_only_the_author_may_change_a_post(base_url: str) -> None:
    http = new_user(base_url)
    assert http.post("/1/update").status_code == 403
    assert http.post("/1/delete").status_code == 403
    assert 'href="/1/update"' not in http.get("/").text


@pytest.mark.parametrize("path", ["/999999/update", "/999999/delete"])
def test_a_missing_post_is_404(base_url: str, path: str) -> None:
    http = client(base_url)
    login(http)
    assert http.post(path).status_code == 404


def test_creating_a_post(base_url: str) -> None:
    http = new_user(base_url)
    assert http.get("/create").status_code == 200
    title = unique("created")
    create_post(http, title, body="")
    assert title in client(base_url).get("/").text


def test_updating_a_post(base_url: str) -> None:
    http = new_user(base_url)
    post = create_post(http, unique("draft"))
    assert http.get(f"/{post}/update").status_code == 200
    title = unique("updated")
    response = http.post(f"/{post}/update", data={"title": title, "body": ""})
    assert response.status_code == 302
    assert title in http.get("/").text


def test_a_title_is_required(base_url: str) -> None:
    http = new_user(base_url)
    post = create_post(http, unique("kept"))
    for path in ("/create", f"/{post}/update"):
        response = http.post(path, data={"title": "", "body": ""})
        assert response.status_code == 200
        assert "Title is required." in response.text


def test_deleting_a_post(base_url: str) -> None:
    http = new_user(base_url)
    title = unique("doomed")
    post = create_post(http, title)
    response = http.post(f"/{post}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert title not in http.get("/").text


def test_sixteen_logged_in_clients_at_once(base_url: str) -> None:
    def session(_: int) -> list[str]:
        problems = []
        http = new_user(base_url)
        for _ in range(ROUNDS):
            title = unique("busy")
            post = create_post(http, title)
            answers = [
                ("index", http.get("/"), 200),
                ("update", http.post(f"/{post}/update", data={"title": title, "body": "b"}), 302),
                ("delete", http.post(f"/{post}/delete"), 302),
            ]
            problems += [
                f"{name}: {answer.status_code}"
                for name, answer, expected in answers
                if answer.status_code != expected
            ]
        return problems

    with ThreadPoolExecutor(CLIENTS) as pool:
        problems = [p for found in pool.map(session, range(CLIENTS)) for p in found]
    assert not problems, problems[:20]
