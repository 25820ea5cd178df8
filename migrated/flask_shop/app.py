"""The migrated flask_shop routes as one FastAPI app (`migrated.flask_shop.app:app`).

Hand-migrated from legacy_examples/flask_shop:
- GET /api/categories                 <- catalog.CategoryListAPI.get
- GET /api/products/<int:product_id>  <- catalog.get_product
- POST /api/quote                     <- catalog.quote (validation reuses the legacy marshmallow
  QuoteSchema, so error bodies stay identical while both sides run)
- the app-wide `errorhandler(500)` (JSON under /api) and the `after_request` hook adding
  X-Response-Time-Ms  <- __init__.register_error_handlers, register_request_hooks
  (and `Vary: Cookie`, which Flask adds because Flask-Login reads the session on every request)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Connection

from legacy_examples.flask_shop.schemas import QuoteSchema
from migrated.flask_shop.database import category, connection, product
from migrated.flask_shop.responses import FlaskJSONResponse, bad_request, not_found, server_error

app = FastAPI(title="flask_shop (migrated)", default_response_class=FlaskJSONResponse)

DB = Annotated[Connection, Depends(connection)]
logger = logging.getLogger("migrated.flask_shop")


@app.middleware("http")
async def add_timing_header(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    started = time.perf_counter()
    try:
        response = await call_next(request)
    except Exception:  # Flask's errorhandler(500) answers JSON under /api
        logger.exception("unhandled error in %s %s", request.method, request.url.path)
        response = server_error()
    response.headers["X-Response-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
    response.headers["Vary"] = "Cookie"
    return response


@app.get("/api/categories")
def list_categories(db: DB) -> FlaskJSONResponse:
    rows = db.execute(select(category).order_by(category.c.name)).mappings()
    return FlaskJSONResponse([{"id": r["id"], "name": r["name"], "slug": r["slug"]} for r in rows])


@app.get("/api/products/{product_id:int}")
def get_product(product_id: int, db: DB) -> FlaskJSONResponse:
    row = (
        db.execute(
            select(product, category.c.slug.label("category_slug"))
            .join(category, category.c.id == product.c.category_id)
            .where(product.c.id == product_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        return not_found()
    return FlaskJSONResponse(
        {
            "id": row["id"],
            "sku": row["sku"],
            "name": row["name"],
            "description": row["description"],
            "price": row["price"],
            "stock": row["stock"],
            "category_id": row["category_id"],
            "category": row["category_slug"],
            "has_image": row["image_filename"] is not None,
            "created_at": row["created_at"],
        }
    )


@app.post("/api/quote")
async def quote(request: Request, db: DB) -> FlaskJSONResponse:
    import json

    try:
        body = json.loads(await request.body()) if _is_json(request) else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return bad_request("the request body must be a JSON object")
    try:
        data = QuoteSchema().load(body)
    except ValidationError as error:
        return FlaskJSONResponse(
            {"error": "validation failed", "fields": error.messages}, status_code=400
        )
    wanted = {line["product_id"] for line in data["lines"]}
    prices: dict[int, Decimal] = {
        row.id: row.price
        for row in db.execute(select(product.c.id, product.c.price).where(product.c.id.in_(wanted)))
    }
    total = Decimal("0.00")
    unknown = set()
    for line in data["lines"]:
        if line["product_id"] in prices:
            total += prices[line["product_id"]] * line["quantity"]
        else:
            unknown.add(line["product_id"])
    return FlaskJSONResponse(
        {
            "currency": data["currency"],
            "lines": len(data["lines"]),
            "total": total,
            "unknown_products": sorted(unknown),
        }
    )


def _is_json(request: Request) -> bool:
    """Werkzeug's `is_json`: application/json or any application/*+json."""
    mimetype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )
