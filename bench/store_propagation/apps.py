"""The apps the front-path measurement serves: both answer `GET /where` with their side and
their worker's process id."""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI
from flask import Flask, jsonify

legacy = Flask("propagation_legacy")


@legacy.get("/where")
def legacy_where() -> Any:
    return jsonify(side="legacy", pid=os.getpid())


@legacy.get("/")
def index() -> Any:
    return "propagation bench"


migrated = FastAPI()


@migrated.get("/where")
def new_where() -> dict[str, Any]:
    return {"side": "new", "pid": os.getpid()}
