"""The legacy and migrated apps of the flip test: each answers `GET /api/where` with its side,
its process id and the request id, and appends `side request-id` to a log of its process (in
`$FLIP_LOG_DIR`), so a test can count how many times each request was answered, by whom."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from flask import Flask, jsonify
from flask import request as flask_request


def record(side: str, request_id: str) -> None:
    folder = os.environ.get("FLIP_LOG_DIR")
    if folder:
        with open(Path(folder) / f"{side}-{os.getpid()}.log", "a") as log:
            log.write(f"{request_id}\n")


legacy = Flask("flip_legacy")


@legacy.get("/api/where")
def legacy_where() -> Any:
    request_id = flask_request.headers.get("X-Request-ID", "")
    record("legacy", request_id)
    return jsonify(side="legacy", pid=os.getpid(), request_id=request_id)


@legacy.get("/")
def index() -> Any:
    return "flip legacy"


migrated = FastAPI()


@migrated.get("/api/where")
def new_where(request: Request) -> dict[str, Any]:
    request_id = request.state.request_id
    record("new", request_id)
    return {"side": "new", "pid": os.getpid(), "request_id": request_id}
