"""Flask's test client behind the small part of httpx's interface the suite uses.

The suite is written against `httpx.Client` (over HTTP); in-process it gets this adapter, so the
very same test code runs both ways.
"""

from __future__ import annotations

import io
import json as jsonlib
from collections.abc import Iterable
from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import Headers


class AdaptedResponse:
    def __init__(self, response: Any) -> None:
        self.status_code: int = response.status_code
        self.headers: Headers = response.headers
        self.content: bytes = response.get_data()

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class FlaskClientAdapter:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, Any] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
        content: bytes | Iterable[bytes] | None = None,
    ) -> AdaptedResponse:
        kwargs: dict[str, Any] = {"method": method, "query_string": params, "headers": headers}
        if json is not None:
            kwargs["json"] = json
        elif files:
            form: dict[str, Any] = dict(data or {})
            for field, (filename, body, content_type) in files.items():
                form[field] = (io.BytesIO(body), filename, content_type)
            kwargs["data"] = form
            kwargs["content_type"] = "multipart/form-data"
        elif data is not None:
            kwargs["data"] = data
        elif isinstance(content, bytes):
            kwargs["data"] = content
        elif content is not None:
            # An iterable body goes out chunked over HTTP: no Content-Length, and the server marks
            # the stream as terminated (gunicorn does), so the app reads it to the end.
            kwargs["input_stream"] = io.BytesIO(b"".join(content))
            kwargs["environ_overrides"] = {"wsgi.input_terminated": True}
            kwargs["headers"] = {**(headers or {}), "Transfer-Encoding": "chunked"}
        return AdaptedResponse(self._client.open(path, **kwargs))

    def get(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("GET", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("HEAD", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("OPTIONS", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> AdaptedResponse:
        return self.request("DELETE", path, **kwargs)
