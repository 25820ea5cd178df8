"""Uploaded files and files served from a folder, as Flask/Werkzeug do them.

`upload.save(path)` (Werkzeug's `FileStorage.save`) -> `save_upload(upload, path)`;
`send_from_directory(folder, name)` -> the same function here, answering a `FileResponse`.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import shutil

from fastapi import UploadFile
from starlette.responses import FileResponse

from codemods.runtime.flask_compat import abort


def save_upload(upload: UploadFile, destination: str | os.PathLike[str]) -> None:
    """`FileStorage.save(path)`: copy the uploaded bytes to `destination`."""
    upload.file.seek(0)
    with open(destination, "wb") as target:
        shutil.copyfileobj(upload.file, target)


def safe_join(directory: str, name: str) -> str | None:
    """Werkzeug's `safe_join`: None for names that would leave `directory`."""
    if not name:
        return None
    normalized = posixpath.normpath(name)
    if (
        any(sep in normalized for sep in (os.sep, os.altsep) if sep and sep != "/")
        or os.path.isabs(normalized)
        or normalized == ".."
        or normalized.startswith("../")
    ):
        return None
    return os.path.join(directory, normalized)


def send_from_directory(directory: str | os.PathLike[str], path: str) -> FileResponse:
    """`flask.send_from_directory`: 404 for a missing or unsafe name; the type guessed from the
    name; `Cache-Control: no-cache` with an ETag and Last-Modified, like Flask's defaults."""
    full = safe_join(os.fspath(directory), path)
    if full is None or not os.path.isfile(full):
        abort(404)
    media_type = mimetypes.guess_type(full)[0] or "application/octet-stream"
    return FileResponse(full, media_type=media_type, headers={"Cache-Control": "no-cache"})
