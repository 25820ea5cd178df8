"""The migrated app of the cutover commands' config: a handler for each of its routes."""

from __future__ import annotations

from fastapi import FastAPI

migrated = FastAPI()


@migrated.get("/api/products")
def list_products() -> list[str]:
    return []


@migrated.post("/api/products")
@migrated.put("/api/products")
def change_products() -> dict[str, str]:
    return {}


@migrated.get("/api/orders/{order_id}")
def get_order(order_id: str) -> dict[str, str]:
    return {"order_id": order_id}
