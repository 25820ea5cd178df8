"""The two sides of the shadow-mode tests, served by a real front.

Legacy (Flask) answers `/api/items` and a quote (POST, side-effect-free); `/api/visits` counts
its calls. The migrated side (FastAPI) answers the same routes, and its behaviour is switched
at run time through `/_test/new/...` routes (mode `new`, so the test reaches them through the
front): answer the same, answer differently, fail, or hang until released. `/_test/new/state`
says whether a mirrored request is in the handler now, and how many arrived.
"""

from __future__ import annotations

import asyncio
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
behaviour: dict[str, Any] = {"mode": "same", "arrived": 0, "inside": 0, "mirrored_seen": 0}
release = asyncio.Event()


async def behave(same: dict[str, Any], request: Request) -> Any:
    behaviour["arrived"] += 1
    if request.headers.get("x-strangler-shadow") == "1":
        behaviour["mirrored_seen"] += 1
    mode = behaviour["mode"]
    if mode == "fail":
        raise RuntimeError("the new side is broken")
    if mode == "hang":
        behaviour["inside"] += 1
        try:
            await release.wait()
        finally:
            behaviour["inside"] -= 1
    if mode == "differ":
        return {**same, "extra": "only on the new side"}
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


@migrated_app.post("/_test/new/{mode}")
async def set_behaviour(mode: str) -> dict[str, Any]:
    behaviour["mode"] = mode
    if mode == "release":
        release.set()
    else:
        release.clear()
    return dict(behaviour)


@migrated_app.get("/_test/new/state")
async def state() -> dict[str, Any]:
    return dict(behaviour)
