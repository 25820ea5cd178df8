"""Uploads saved and files served from a folder, as Werkzeug does them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi import UploadFile

from codemods.runtime.flask.compat import LegacyResponse
from codemods.runtime.flask.files import safe_join, save_upload, send_from_directory


def test_save_upload_writes_the_uploaded_bytes(tmp_path: Path) -> None:
    upload = UploadFile(io.BytesIO(b"png bytes"), filename="a.png")
    upload.file.read(3)  # already partly read: saved whole anyway, like FileStorage.save
    save_upload(upload, tmp_path / "a.png")
    assert (tmp_path / "a.png").read_bytes() == b"png bytes"


def test_a_file_is_served_with_its_type_and_no_cache(tmp_path: Path) -> None:
    (tmp_path / "1-lamp.png").write_bytes(b"\x89PNG")
    response = send_from_directory(str(tmp_path), "1-lamp.png")
    assert response.media_type == "image/png"
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("name", ["missing.png", "../secret", "/etc/passwd", "", "a/../../b"])
def test_missing_or_unsafe_names_are_404(tmp_path: Path, name: str) -> None:
    with pytest.raises(LegacyResponse) as raised:
        send_from_directory(str(tmp_path), name)
    assert raised.value.response.status_code == 404


def test_safe_join_keeps_names_inside_the_folder() -> None:
    assert safe_join("/up", "a/b.png") == "/up/a/b.png"
    assert safe_join("/up", "a/../../b") is None


def test_the_type_and_max_age_given_answer_as_flask(tmp_path: Path) -> None:
    from flask import Flask
    from flask import send_from_directory as flask_send

    (tmp_path / "favicon.ico").write_bytes(b"ico")
    legacy = Flask(__name__)
    with legacy.test_request_context():
        expected = flask_send(
            str(tmp_path), "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=60
        )
        expected.direct_passthrough = False
    response = send_from_directory(
        str(tmp_path), "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=60
    )
    assert response.media_type == expected.mimetype == "image/vnd.microsoft.icon"
    assert response.headers["cache-control"] == expected.headers["Cache-Control"]
