"""A migrated app with a route the legacy test app lacks."""

from __future__ import annotations

from fastapi import FastAPI

extra = FastAPI()


@extra.get("/only-new")
def only_new() -> dict[str, str]:
    return {"side": "new"}
