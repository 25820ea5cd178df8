"""Product image upload (multipart), the streamed CSV export, and the large-body quote endpoint."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from .helpers import Client, create_product, seed_product_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_admin_uploads_a_product_image_and_it_is_served_back(admin: Client) -> None:
    product = create_product(admin)
    response = admin.post(
        f"/api/products/{product['id']}/image",
        files={"image": ("lamp photo.png", PNG, "image/png")},
    )
    assert response.status_code == 201
    assert response.json()["filename"] == f"{product['id']}-lamp_photo.png"
    image = admin.get(response.json()["image_url"])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content == PNG
    assert admin.get(f"/api/products/{product['id']}").json()["has_image"] is True


def test_an_upload_without_a_file_is_rejected(admin: Client) -> None:
    product = create_product(admin)
    response = admin.post(
        f"/api/products/{product['id']}/image", files={"other": ("a.png", PNG, "image/png")}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "no file in the 'image' field"


def test_an_upload_that_is_not_an_image_is_rejected(admin: Client) -> None:
    product = create_product(admin)
    response = admin.post(
        f"/api/products/{product['id']}/image",
        files={"image": ("script.sh", b"#!/bin/sh\n", "text/x-sh")},
    )
    assert response.status_code == 400


def test_a_product_without_an_image_has_no_image_url(client: Client) -> None:
    response = client.get(f"/api/products/{seed_product_id(client)}/image")
    assert response.status_code == 404
    assert response.json()["message"] == "this product has no image"


def test_the_csv_export_is_streamed_as_text_csv(client: Client) -> None:
    response = client.get("/api/products/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "content-length" not in response.headers
    assert response.headers["content-disposition"] == "attachment; filename=products.csv"


def test_the_csv_export_lists_every_seeded_product(client: Client) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/products/export.csv").text)))
    by_sku = {row["sku"]: row for row in rows}
    assert {f"SEED-{n:03d}" for n in range(1, 31)} <= set(by_sku)
    assert by_sku["SEED-013"]["name"] == "Cast Iron Skillet"
    assert by_sku["SEED-013"]["category"] == "kitchen"


def test_a_quote_accepts_a_large_basket(client: Client) -> None:
    product_id = seed_product_id(client, "SEED-001")
    lines = [{"product_id": product_id, "quantity": 2} for _ in range(5000)]
    response = client.post("/api/quote", json={"lines": lines})
    assert response.status_code == 200
    body = response.json()
    assert body["lines"] == 5000
    assert body["total"] == "59900.00"
    assert body["unknown_products"] == []


def test_a_chunked_request_body_is_read_to_the_end(client: Client) -> None:
    product_id = seed_product_id(client, "SEED-001")
    lines = [{"product_id": product_id, "quantity": 1} for _ in range(2000)]
    body = json.dumps({"lines": lines}).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    response = client.post(
        "/api/quote", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["lines"] == 2000
    assert response.json()["total"] == "11980.00"


def test_a_quote_lists_unknown_products(client: Client) -> None:
    response = client.post("/api/quote", json={"lines": [{"product_id": 999999999, "quantity": 1}]})
    assert response.json()["unknown_products"] == [999999999]
    assert response.json()["total"] == "0.00"


def test_a_quote_with_a_bad_quantity_reports_the_field(client: Client) -> None:
    response = client.post("/api/quote", json={"lines": [{"product_id": 1, "quantity": 0}]})
    assert response.status_code == 400
    assert "quantity" in response.json()["fields"]["lines"]["0"]
