"""A classic Flask app (tests/codemods/cases/notes_app: sqlite3 through `g` with a teardown, a
`before_app_request` loading `g.user`, its own `login_required`, `flash`, templates reading `g`,
a factory taking a test config) converted with no edit: its FastAPI output, served by uvicorn,
answers a scripted visit exactly as the Flask app served by uvicorn does, the two share the
session cookie and its flashed messages, and the output serves many logged-in clients at once
(its sqlite3 connection, opened by a before hook, is bound to the thread that opened it)."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from proxy.cli import app as cli
from tests.support.servers import REPO_ROOT, free_port, running_server, venv_command

LEGACY = "tests/codemods/cases/notes_app"
ENTRY = """
import os

from a2wsgi import WSGIMiddleware

from notes_migrated import create_app
from tests.codemods.cases.notes_app import create_app as create_legacy_app

config = {"TESTING": True, "DATABASE": os.environ["NOTES_DATABASE"]}
legacy = WSGIMiddleware(create_legacy_app(config))
migrated = create_app(config)
"""
# (method, path, form): what flaskr's own tests do, on this app
VISIT: list[tuple[str, str, dict[str, str] | None]] = [
    ("GET", "/", None),
    ("GET", "/ping", None),
    ("GET", "/auth/register", None),
    ("POST", "/auth/register", {"name": "", "password": "p"}),
    ("POST", "/auth/register", {"name": "ann", "password": ""}),
    ("POST", "/auth/register", {"name": "ann", "password": "secret"}),
    ("GET", "/auth/login", None),
    ("POST", "/auth/register", {"name": "ann", "password": "secret"}),
    ("GET", "/new", None),
    ("POST", "/1/delete", None),
    ("POST", "/auth/login", {"name": "ann", "password": "wrong"}),
    ("POST", "/auth/login", {"name": "ann", "password": "secret"}),
    ("GET", "/", None),
    ("GET", "/new", None),
    ("POST", "/new", {"text": ""}),
    ("POST", "/new", {"text": "first note"}),
    ("GET", "/1/edit", None),
    ("POST", "/1/edit", {"text": "edited note"}),
    ("GET", "/2/edit", None),
    ("GET", "/static/style.css", None),
    ("GET", "/auth/logout", None),
    ("POST", "/auth/register", {"name": "bob", "password": "pw"}),
    ("POST", "/auth/login", {"name": "bob", "password": "pw"}),
    ("GET", "/1/edit", None),
    ("POST", "/1/delete", None),
    ("GET", "/auth/logout", None),
    ("GET", "/nowhere", None),
    ("POST", "/", None),
]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The Flask app and its unedited conversion, each on its own copy of an empty database."""
    work = tmp_path_factory.mktemp("classic")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO_ROOT)
        result = CliRunner().invoke(
            cli, ["codemod", "flask", LEGACY, "--out", str(work / "notes_migrated")]
        )
    assert result.exit_code == 0, result.output
    (work / "serve_twins.py").write_text(ENTRY)
    with running_twin(work, "legacy") as legacy, running_twin(work, "migrated") as migrated:
        yield {"legacy": legacy, "migrated": migrated}


@contextmanager
def running_twin(work: Path, side: str) -> Iterator[str]:
    """One side under uvicorn, on its own database made from the app's schema."""
    database = work / f"{side}.sqlite"
    with sqlite3.connect(database) as connection:
        connection.executescript((REPO_ROOT / LEGACY / "schema.sql").read_text())
    port = free_port()
    with running_server(
        [venv_command("uvicorn"), f"serve_twins:{side}", "--port", str(port)],
        port,
        env={"NOTES_DATABASE": str(database), "PYTHONPATH": f"{work}:{REPO_ROOT}"},
        ready_path="/ping",
    ) as url:
        yield url


def answer(response: httpx.Response) -> dict[str, object]:
    """What a client sees of an answer (the cookie's value aside)."""
    return {
        "status": response.status_code,
        "location": response.headers.get("location"),
        "content-type": response.headers.get("content-type"),
        "vary": response.headers.get("vary"),
        "sets-cookie": "set-cookie" in response.headers,
        "body": response.text,
    }


def test_the_converted_app_answers_the_visit_as_flask_does(servers: dict[str, str]) -> None:
    with (
        httpx.Client(base_url=servers["legacy"]) as legacy,
        httpx.Client(base_url=servers["migrated"]) as migrated,
    ):
        for method, path, form in VISIT:
            expected = answer(legacy.request(method, path, data=form))
            got = answer(migrated.request(method, path, data=form))
            assert got == expected, f"{method} {path}"


def test_the_session_and_its_flashed_messages_cross_sides(servers: dict[str, str]) -> None:
    with (
        httpx.Client(base_url=servers["legacy"]) as legacy,
        httpx.Client(base_url=servers["migrated"]) as migrated,
    ):
        for side in (legacy, migrated):  # both databases hold ann (the visit may have run first)
            side.post("/auth/register", data={"name": "ann", "password": "secret"})
        legacy.post("/auth/login", data={"name": "ann", "password": "secret"})
        migrated.cookies = legacy.cookies
        assert "<span>ann</span>" in migrated.get("/").text
        migrated.get("/auth/logout")
        migrated.post("/auth/register", data={"name": "", "password": "x"})
        registered = migrated.post("/auth/register", data={"name": "cyd", "password": "pw"})
        assert registered.status_code == 302
        legacy.cookies = migrated.cookies
        shown = re.findall(r'<p class="flash">(.*?)</p>', legacy.get("/auth/login").text)
        assert shown == ["Registered: please log in."]


CLIENTS = 16
ROUNDS = 3


def test_many_logged_in_clients_at_once_get_their_own_answers(servers: dict[str, str]) -> None:
    url = servers["migrated"]
    clients = [httpx.Client(base_url=url, timeout=60) for _ in range(CLIENTS)]
    try:
        for number, client in enumerate(clients):
            account = {"name": f"crowd{number}", "password": "pw"}
            assert client.post("/auth/register", data=account).status_code == 302
            assert client.post("/auth/login", data=account).status_code == 302
        start = threading.Barrier(CLIENTS)

        def visit(number: int) -> list[str]:
            """One client's rounds at the same time as the others: what went wrong."""
            client, name, wrong = clients[number], f"crowd{number}", []
            start.wait()
            for round_ in range(ROUNDS):
                text = f"note {number}.{round_}"
                created = client.post("/new", data={"text": text})
                if (created.status_code, created.headers.get("location")) != (302, "/"):
                    wrong.append(f"POST /new: {created.status_code}")
                    continue
                index = client.get("/")
                mine = re.search(rf'{text} by {name}\s*<a href="/(\d+)/edit">', index.text)
                if index.status_code != 200 or f"<span>{name}</span>" not in index.text or not mine:
                    wrong.append(f"GET /: {index.status_code}")
                    continue
                edit = client.get(f"/{mine.group(1)}/edit")
                if edit.status_code != 200 or text not in edit.text:
                    wrong.append(f"GET /{mine.group(1)}/edit: {edit.status_code}")
            return wrong

        with ThreadPoolExecutor(CLIENTS) as pool:
            wrong = [w for found in pool.map(visit, range(CLIENTS)) for w in found]
        assert wrong == []
    finally:
        for client in clients:
            client.close()
