"""Uploaded files and files served from a folder, as Flask/Werkzeug do them. Permanent.

`request.files.get(name)` -> a parameter from the `uploaded(name)` dependency (the form is parsed
when the view asks, after the route's guards, as in Flask: a bad body never hides a 401/403);
`upload.save(path)` (Werkzeug's `FileStorage.save`) -> `save_upload(upload, path)`;
`send_from_directory(folder, name)` -> the same function here, answering a `FileResponse`.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import shutil
from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import FileResponse

from codemods.runtime.flask.compat import abort


async def form_or_empty(request: Request) -> FormData:
    """The request's form, or an empty one where Werkzeug would find no files (a body that is
    not form data, or malformed multipart)."""
    try:
        return await request.form()
    except (HTTPException, MultiPartException):
        return FormData()


def uploaded(field: str) -> Callable[[Request], Awaitable[UploadFile | None]]:
    """`request.files.get(field)`: the file sent in `field`, or None."""

    async def dependency(request: Request) -> UploadFile | None:
        value = (await form_or_empty(request)).get(field)
        return value if isinstance(value, UploadFile) else None

    return dependency


def uploaded_list(field: str) -> Callable[[Request], Awaitable[list[UploadFile]]]:
    """`request.files.getlist(field)`: every file sent in `field`."""

    async def dependency(request: Request) -> list[UploadFile]:
        values = (await form_or_empty(request)).getlist(field)
        return [value for value in values if isinstance(value, UploadFile)]

    return dependency


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


def send_from_directory(
    directory: str | os.PathLike[str],
    path: str,
    *,
    mimetype: str | None = None,
    max_age: int | None = None,
) -> FileResponse:
    """`flask.send_from_directory`: 404 for a missing or unsafe name; the type `mimetype=` or
    guessed from the name; `Cache-Control: no-cache` with an ETag and Last-Modified, like Flask's
    defaults, or `public, max-age=N` with `max_age=`."""
    full = safe_join(os.fspath(directory), path)
    if full is None or not os.path.isfile(full):
        abort(404)
    media_type = mimetype or mimetypes.guess_type(full)[0] or "application/octet-stream"
    cache = "no-cache" if max_age is None else f"public, max-age={max_age}"
    return FileResponse(full, media_type=media_type, headers={"Cache-Control": cache})
