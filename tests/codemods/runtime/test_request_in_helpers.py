"""`request.args`, `request.form`, `request.values` and `request.files` read by a module
helper."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.testclient import TestClient

from codemods.runtime.flask.compat import FlaskRoute
from codemods.runtime.flask.context import (
    request_args,
    request_data,
    request_files,
    request_form,
    request_values,
)


def helper_app() -> TestClient:
    app = FastAPI()
    app.router.route_class = FlaskRoute

    @app.api_route("/read", methods=["GET", "POST"])
    def read() -> dict[str, object]:
        return {
            "arg": request_args().get("a"),
            "args": request_args().getlist("a"),
            "form": request_form().get("f"),
            "values": request_values().get("f"),
            "data": request_data(as_text=True),
        }

    return TestClient(app)


def test_a_repeated_query_key_gives_its_first_value_as_werkzeug_s_multidict_does() -> None:
    answer = helper_app().get("/read?a=1&a=2").json()
    assert answer == {"arg": "1", "args": ["1", "2"], "form": None, "values": None, "data": ""}


def test_the_form_is_read_for_a_sync_helper() -> None:
    answer = helper_app().post("/read", data={"f": "x"}).json()
    assert answer["form"] == "x"
    assert answer["values"] == "x"


def test_the_raw_body_is_read_for_a_sync_view() -> None:
    answer = helper_app().post("/read", content=b'{"data": 1}').json()
    assert answer["data"] == '{"data": 1}'


def upload_app(folder: Path) -> TestClient:
    app = FastAPI()
    app.router.route_class = FlaskRoute

    def add_dataset() -> str | None:  # sqlite-web's `_add_dataset`, reading request.files
        database = request_files().get("database")
        if not database:
            return None
        database.save(folder / database.filename)
        return str(database.filename)

    @app.post("/add")
    def add() -> dict[str, object]:
        return {"saved": add_dataset(), "names": list(request_files())}

    return TestClient(app)


def test_an_upload_is_werkzeug_s_file_storage_for_a_sync_helper(tmp_path: Path) -> None:
    files = {"database": ("books.db", b"SQLite format 3\x00", "application/octet-stream")}

    answer = upload_app(tmp_path).post("/add", files=files, data={"mode": "upload"}).json()

    assert answer == {"saved": "books.db", "names": ["database"]}
    assert (tmp_path / "books.db").read_bytes() == b"SQLite format 3\x00"


def test_a_request_without_uploads_has_no_files(tmp_path: Path) -> None:
    answer = upload_app(tmp_path).post("/add", data={"mode": "upload"}).json()

    assert answer == {"saved": None, "names": []}


def test_a_malformed_multipart_body_has_no_files_as_in_werkzeug(tmp_path: Path) -> None:
    headers = {"content-type": "multipart/form-data; boundary=nowhere"}

    answer = upload_app(tmp_path).post("/add", content=b"not multipart", headers=headers)

    assert answer.json() == {"saved": None, "names": []}
