"""The two sides of the shadow-mode tests, served by a real front.

Legacy (Flask) answers `/api/items` and a quote (POST, side-effect-free); `/api/visits` counts
its calls. The migrated side (FastAPI) answers the same routes, and its behaviour is switched
at run time through `/_test/new/...` routes (mode `new`, so the test reaches them through the
front): answer the same, answer differently, answer slowly, fail, or hang until released.
`/_test/new/state` says whether a mirrored request is in the handler now, and how many arrived.
The behaviour is kept in files under $SHADOW_TEST_DIR, so the shadow's child process follows it
too.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from flask import Flask, jsonify, request

legacy_app = Flask("shadow_legacy")
visits = {"count": 0}


@legacy_app.get("/api/items")
def legacy_items() -> Any:
    return jsonify(items=[{"id": 1, "name": "pen"}], page=request.args.get("page", "1"))


@legacy_app.post("/api/quote")
def legacy_quote() -> Any:
    lines = (request.get_json(silent=True) or {}).get("lines", [])
    return jsonify(total=sum(line.get("qty", 0) * 2 for line in lines))


@legacy_app.route("/api/login", methods=["POST"])
def legacy_login() -> Any:
    return jsonify(ok=True)


@legacy_app.get("/api/visits")
def legacy_visits() -> Any:
    visits["count"] += 1
    return jsonify(count=visits["count"])


migrated_app = FastAPI()


def place() -> Path:
    """Where the test and both processes of the new side (the front's worker, the shadow's
    child process) share the behaviour: $SHADOW_TEST_DIR."""
    return Path(os.environ["SHADOW_TEST_DIR"])


def mode() -> str:
    found = place() / "mode"
    return found.read_text() if found.exists() else "same"


async def behave(same: dict[str, Any], request: Request) -> Any:
    mirrored = request.headers.get("x-strangler-shadow") == "1"
    with open(place() / "arrived", "a") as arrived:
        arrived.write("mirrored\n" if mirrored else "client\n")
    current = mode()
    if current == "fail":
        raise RuntimeError("the new side is broken")
    if current == "hang":
        inside = place() / f"inside-{os.getpid()}-{id(request)}"
        inside.touch()
        try:
            while not (place() / "release").exists():
                await asyncio.sleep(0.02)
        finally:
            inside.unlink()
    if current == "differ":
        return {**same, "extra": "only on the new side"}
    if current == "slow":
        await asyncio.sleep(0.3)
    return same


@migrated_app.get("/api/items")
async def new_items(request: Request, page: str = "1") -> Any:
    return await behave({"items": [{"id": 1, "name": "pen"}], "page": page}, request)


@migrated_app.post("/api/quote")
async def new_quote(request: Request) -> Any:
    body = await request.json()
    total = sum(line.get("qty", 0) * 2 for line in body.get("lines", []))
    return await behave({"total": total}, request)


@migrated_app.post("/api/login")
async def new_login(request: Request) -> Any:
    return await behave({"ok": True}, request)


@migrated_app.get("/api/visits")
async def new_visits(request: Request) -> Any:
    return await behave({"count": -1}, request)


@migrated_app.post("/_test/new/{wanted}")
async def set_behaviour(wanted: str) -> dict[str, Any]:
    release = place() / "release"
    if wanted == "release":
        release.touch()
    else:
        release.unlink(missing_ok=True)
        (place() / "mode").write_text(wanted)
    return await state()


@migrated_app.get("/_test/new/state")
async def state() -> dict[str, Any]:
    arrived = place() / "arrived"
    lines = arrived.read_text().splitlines() if arrived.exists() else []
    return {
        "mode": mode(),
        "arrived": len(lines),
        "mirrored_seen": lines.count("mirrored"),
        "inside": len(list(place().glob("inside-*"))),
    }
