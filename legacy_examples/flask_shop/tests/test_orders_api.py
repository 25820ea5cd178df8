"""Orders through the JSON API, for the logged-in user only."""

from __future__ import annotations

from typing import Any

from .helpers import ADMIN, Client, create_product, log_in, register, seed_product_id


def test_orders_require_login(client: Client) -> None:
    assert client.get("/api/orders").status_code == 401


def test_placing_an_order_returns_it_with_its_total(client: Client) -> None:
    register(client)
    product_id = seed_product_id(client, "SEED-002")
    response = client.post(
        "/api/orders", json={"lines": [{"product_id": product_id, "quantity": 3}]}
    )
    assert response.status_code == 201
    order = response.json()
    assert order["status"] == "placed"
    assert order["shipping"] == "standard"
    assert order["total"] == "32.97"
    assert order["lines"][0]["quantity"] == 3
    assert response.headers["location"].endswith(f"/api/orders/{order['id']}")


def test_a_user_sees_only_their_own_orders(client: Client, make_client: Any) -> None:
    register(client)
    product_id = seed_product_id(client)
    mine = client.post("/api/orders", json={"lines": [{"product_id": product_id, "quantity": 1}]})
    other = make_client()
    register(other)
    assert other.get("/api/orders").json() == {"orders": []}
    assert other.get(f"/api/orders/{mine.json()['id']}").status_code == 404
    assert [o["id"] for o in client.get("/api/orders").json()["orders"]] == [mine.json()["id"]]


def test_ordering_more_than_the_stock_is_a_conflict(client: Client, make_client: Any) -> None:
    admin = make_client()
    log_in(admin, **ADMIN)
    product = create_product(admin, stock=1)
    register(client)
    response = client.post(
        "/api/orders", json={"lines": [{"product_id": product["id"], "quantity": 2}]}
    )
    assert response.status_code == 409
    assert admin.get(f"/api/products/{product['id']}").json()["stock"] == 1


def test_ordering_takes_the_items_out_of_stock(client: Client, make_client: Any) -> None:
    admin = make_client()
    log_in(admin, **ADMIN)
    product = create_product(admin, stock=5)
    register(client)
    client.post("/api/orders", json={"lines": [{"product_id": product["id"], "quantity": 2}]})
    assert admin.get(f"/api/products/{product['id']}").json()["stock"] == 3


def test_ordering_an_unknown_product_is_rejected(client: Client) -> None:
    register(client)
    response = client.post(
        "/api/orders", json={"lines": [{"product_id": 999999999, "quantity": 1}]}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unknown products: 999999999"


def test_an_order_without_lines_reports_the_field(client: Client) -> None:
    register(client)
    response = client.post("/api/orders", json={"lines": [], "shipping": "teleport"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"lines", "shipping"}
