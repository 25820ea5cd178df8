"""`uploaded(field)`: request.files.get(field) as a dependency that runs after the guards."""

from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from starlette.datastructures import UploadFile

from codemods.runtime.flask.compat import FlaskRoute, abort
from codemods.runtime.flask.files import uploaded, uploaded_list


def deny() -> None:
    abort(403)


def app() -> FastAPI:
    application = FastAPI()
    application.router.route_class = FlaskRoute

    @application.post("/open")
    def open_upload(image: Annotated[UploadFile | None, Depends(uploaded("image"))]) -> str:
        return "none" if image is None else f"{image.filename}:{image.file.read().decode()}"

    @application.post("/many")
    def many(images: Annotated[list[UploadFile], Depends(uploaded_list("image"))]) -> int:
        return len(images)

    @application.post("/guarded", dependencies=[Depends(deny)])
    def guarded(image: Annotated[UploadFile | None, Depends(uploaded("image"))]) -> str:
        return "unreachable"

    return application


def test_the_file_of_the_field_is_given() -> None:
    answer = TestClient(app()).post("/open", files={"image": ("a.png", b"png")})
    assert answer.json() == "a.png:png"


def test_no_file_in_the_field_is_none() -> None:
    assert TestClient(app()).post("/open", files={"other": ("a.png", b"png")}).json() == "none"


def test_a_body_that_is_not_form_data_has_no_files_like_werkzeug() -> None:
    assert TestClient(app()).post("/open", content=b"{}").json() == "none"


def test_malformed_multipart_has_no_files_like_werkzeug() -> None:
    headers = {"content-type": "multipart/form-data"}  # no boundary
    assert TestClient(app()).post("/open", content=b"--x\r\n", headers=headers).json() == "none"


def test_the_guard_answers_before_a_malformed_body_is_read() -> None:
    headers = {"content-type": "multipart/form-data"}
    answer = TestClient(app()).post("/guarded", content=b"--x\r\n", headers=headers)
    assert answer.status_code == 403


def test_every_file_of_a_repeated_field() -> None:
    files = [("image", ("a.png", b"a")), ("image", ("b.png", b"b"))]
    assert TestClient(app()).post("/many", files=files).json() == 2
