"""The migrated side: a FastAPI twin of legacy_app on the same database (SQLAlchemy), which
answers like the legacy app except for the planted differences switched on in PLANTED_DIFFERENCES.
"""

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, StrictInt, StrictStr
from sqlalchemy import Connection, create_engine, text
from starlette.exceptions import HTTPException

PLANTS = (
    "status_200",  # POST /api/tags answers 200 instead of 201
    "missing_field",  # GET /api/products/{id} forgets description
    "stock_as_string",  # GET /api/products gives stock as a string
    "renamed_key",  # GET /api/profile says user_name instead of username
    "rating_boundary",  # POST /api/reviews accepts ratings up to 10 instead of 5
    "bad_id_422",  # GET /api/orders/{id} answers 422 instead of 404 on a non-numeric id
    "redirect_target",  # GET /api/old-catalogue redirects to /api/catalogue
    "extra_row",  # POST /api/products/{id}/buy also bumps stats.purchases
    "forgotten_write",  # POST /api/audit answers 201 but writes nothing
)

Name = Annotated[StrictStr, Field(pattern=r"^[a-z]{1,20}$")]


class NotFound(Exception):
    pass


def not_found() -> JSONResponse:
    return JSONResponse({"error": "not found"}, status_code=404)


def create_app() -> FastAPI:
    plants = {p for p in os.environ.get("PLANTED_DIFFERENCES", "").split(",") if p}
    unknown = plants - set(PLANTS)
    if unknown:
        raise ValueError(f"unknown planted differences: {sorted(unknown)}")
    engine = create_engine(f"sqlite:///{os.environ['PLANTED_DB']}")
    app = FastAPI(redirect_slashes=False)

    def db() -> Iterator[Connection]:
        with engine.connect() as connection:
            yield connection

    Db = Annotated[Connection, Depends(db)]

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        message = {400: "invalid request", 404: "not found", 405: "method not allowed"}.get(
            error.status_code, str(error.detail)
        )
        return JSONResponse({"error": message}, status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        if any(e["loc"][0] == "path" for e in error.errors()):
            if "bad_id_422" in plants and request.url.path.startswith("/api/orders/"):
                return JSONResponse({"detail": "Unprocessable Entity"}, status_code=422)
            return not_found()
        return JSONResponse({"error": "invalid request"}, status_code=400)

    # Examples that exist in the seed rows, so the examples phase reaches real products.
    Id = Annotated[str, Path(examples=["1", "2", "4"])]

    def digits(value: str) -> int:
        if not value.isascii() or not value.isdigit():
            raise NotFound
        return int(value)

    @app.exception_handler(NotFound)
    async def missing(_: Request, __: NotFound) -> JSONResponse:
        return not_found()

    @app.get("/api/ping")
    def ping() -> dict[str, Any]:
        return {"ok": True, "at": datetime.now().isoformat(), "request_id": uuid.uuid4().hex}

    @app.get("/api/products")
    def products(connection: Db) -> dict[str, Any]:
        rows = connection.execute(text("SELECT id, name, stock FROM products ORDER BY id"))
        items = [dict(row._mapping) for row in rows]
        if "stock_as_string" in plants:
            items = [{**item, "stock": str(item["stock"])} for item in items]
        return {"items": items}

    @app.get("/api/products/{product_id}")
    def product(product_id: Id, connection: Db) -> Any:
        row = connection.execute(
            text("SELECT id, name, description, price FROM products WHERE id = :id"),
            {"id": digits(product_id)},
        ).first()
        if row is None:
            return not_found()
        found = dict(row._mapping)
        if "missing_field" in plants:
            del found["description"]
        return found

    class Tag(BaseModel):
        name: Name

    @app.post("/api/tags", status_code=200 if "status_200" in plants else 201)
    def create_tag(tag: Tag, connection: Db) -> dict[str, Any]:
        result = connection.execute(
            text("INSERT INTO tags (name) VALUES (:name)"), {"name": tag.name}
        )
        connection.commit()
        return {"id": result.lastrowid, "name": tag.name}

    @app.get("/api/profile")
    def profile(request: Request, connection: Db) -> Any:
        row = connection.execute(
            text("SELECT username FROM sessions WHERE token = :token"),
            {"token": request.cookies.get("sid", "")},
        ).first()
        if row is None:
            return JSONResponse({"error": "login required"}, status_code=401)
        return {"user_name" if "renamed_key" in plants else "username": row.username}

    class Review(BaseModel):
        product_id: Annotated[StrictInt, Field(ge=1, le=1000)]
        rating: Annotated[StrictInt, Field(ge=1, le=10 if "rating_boundary" in plants else 5)]

    @app.post("/api/reviews", status_code=201)
    def create_review(review: Review, connection: Db) -> dict[str, Any]:
        result = connection.execute(
            text("INSERT INTO reviews (product_id, rating) VALUES (:p, :r)"),
            {"p": review.product_id, "r": review.rating},
        )
        connection.commit()
        return {"id": result.lastrowid, "product_id": review.product_id, "rating": review.rating}

    if "bad_id_422" in plants:

        @app.get("/api/orders/{order_id}")
        def order_typed(order_id: int, connection: Db) -> Any:
            row = connection.execute(
                text("SELECT * FROM orders WHERE id = :id"), {"id": order_id}
            ).first()
            return dict(row._mapping) if row else not_found()

    else:

        @app.get("/api/orders/{order_id}")
        def order(order_id: Id, connection: Db) -> Any:
            row = connection.execute(
                text("SELECT * FROM orders WHERE id = :id"), {"id": digits(order_id)}
            ).first()
            return dict(row._mapping) if row else not_found()

    @app.get("/api/old-catalogue")
    def old_catalogue() -> Response:
        target = "/api/catalogue" if "redirect_target" in plants else "/api/products"
        return Response(b"", status_code=302, headers={"Location": target}, media_type="text/html")

    @app.post("/api/products/{product_id}/buy")
    def buy(product_id: Id, connection: Db) -> Any:
        key = digits(product_id)
        row = connection.execute(
            text("SELECT stock FROM products WHERE id = :id"), {"id": key}
        ).first()
        if row is None:
            return not_found()
        if row.stock == 0:
            return JSONResponse({"error": "sold out"}, status_code=409)
        connection.execute(
            text("UPDATE products SET stock = stock - 1 WHERE id = :id"), {"id": key}
        )
        if "extra_row" in plants:
            connection.execute(text("UPDATE stats SET value = value + 1 WHERE name = 'purchases'"))
        connection.commit()
        return {"id": key, "stock": row.stock - 1}

    class Audit(BaseModel):
        action: Name

    @app.post("/api/audit", status_code=201)
    def audit(entry: Audit, connection: Db) -> dict[str, Any]:
        if "forgotten_write" not in plants:
            connection.execute(text("INSERT INTO audit (action) VALUES (:a)"), {"a": entry.action})
            connection.commit()
        return {"ok": True}

    return app
