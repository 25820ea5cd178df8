"""Small WSGI and FastAPI apps the front's tests serve (`tests.unit.proxy.apps:...`)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from flask import Flask, Response, abort, jsonify, redirect, request, stream_with_context, url_for

StartResponse = Callable[..., Any]

# Lets a test hold the `hang` handler as long as it likes and then release it.
release_hung = threading.Event()


def make_flask() -> Flask:
    app = Flask("front_test_legacy")

    @app.get("/")
    def index() -> Any:
        return "home"

    @app.route("/api/items", methods=["GET", "POST"])
    def items() -> Any:
        if request.method == "POST":
            return jsonify(created=request.get_json()), 201
        return jsonify(side="legacy", items=[1, 2])

    @app.get("/api/items/<int:item_id>")
    def item(item_id: int) -> Any:
        return jsonify(side="legacy", id=item_id)

    @app.get("/api/old")
    def old() -> Any:
        return jsonify(side="legacy", route="old")

    @app.get("/api/<path:rest>")
    def catch_all(rest: str) -> Any:
        return jsonify(side="legacy", rest=rest)

    @app.get("/echo")
    def echo() -> Any:
        return jsonify(
            request_id=request.headers.get("X-Request-ID"),
            remote_addr=request.remote_addr,
            forwarded_for=request.headers.get("X-Forwarded-For"),
            forwarded_host=request.headers.get("X-Forwarded-Host"),
            path=request.path,
            cookies=request.cookies,
        )

    @app.post("/upload")
    def upload() -> Any:
        data = request.get_data()
        files = {name: len(f.read()) for name, f in request.files.items()}
        return jsonify(length=len(data), files=files, form=request.form.to_dict())

    @app.post("/upload/chunks")
    def upload_chunks() -> Any:
        stream = request.stream
        sizes = []
        while True:
            chunk = stream.read(65536)
            if not chunk:
                break
            sizes.append(len(chunk))
        return jsonify(total=sum(sizes), reads=len(sizes))

    @app.get("/stream")
    def stream() -> Any:
        def generate() -> Iterator[str]:
            for index in range(3):
                yield f"chunk {index}\n"

        return Response(stream_with_context(generate()), mimetype="text/plain")

    @app.get("/large")
    def large() -> Any:
        size = int(request.args.get("size", 5_000_000))
        return Response(b"x" * size, mimetype="application/octet-stream")

    @app.get("/redirect")
    def go() -> Any:
        return redirect(url_for("echo"))

    @app.get("/set-cookie")
    def set_cookie() -> Any:
        response = jsonify(ok=True)
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response

    @app.get("/boom")
    def boom() -> Any:
        raise RuntimeError("legacy bug")

    @app.get("/hang")
    def hang() -> Any:
        release_hung.wait(float(request.args.get("seconds", 30)))
        return "finally"

    @app.get("/slow")
    def slow() -> Any:
        time.sleep(float(request.args.get("seconds", 0.2)))
        return "slow"

    @app.get("/missing")
    def missing() -> Any:
        abort(404)

    return app


flask_app = make_flask()


def raw_wsgi(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
    """Echo what a WSGI app sees of the request, for the bridge's own tests."""
    body = environ["wsgi.input"].read()
    seen = {
        key: value
        for key, value in environ.items()
        if key.isupper() or key == "wsgi.input_terminated"
    }
    seen["body_length"] = len(body)
    payload = json.dumps(seen, default=str).encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Connection", "close"),
            ("Keep-Alive", "timeout=5"),
        ],
    )
    return [payload]


def generator_wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
    """Calls start_response lazily, from inside its generator, like many streaming apps."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    for index in range(int(environ.get("QUERY_STRING") or 3)):
        yield f"part {index}\n".encode()


def make_migrated() -> FastAPI:
    app = FastAPI()

    @app.get("/api/items")
    def list_items() -> dict[str, Any]:
        return {"side": "new", "items": [1, 2]}

    @app.get("/api/items/{item_id:int}")
    def get_item(item_id: int, request: Request) -> dict[str, Any]:
        return {"side": "new", "id": item_id, "request_id": request.state.request_id}

    return app


migrated_app = make_migrated()

router = APIRouter()


@router.get("/api/items")
def router_items() -> dict[str, str]:
    return {"side": "new-router"}
