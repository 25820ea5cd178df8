"""The products JSON API: listing, pagination, filters, detail, create/update/delete."""

from __future__ import annotations

from .helpers import ALICE, Client, create_category, create_product, log_in, seed_product_id, unique


def test_product_list_returns_the_first_page_with_pagination_metadata(client: Client) -> None:
    body = client.get("/api/products").json()
    assert body["page"] == 1
    assert body["per_page"] == 10
    assert len(body["items"]) == 10
    assert body["total"] >= 30
    assert body["has_next"] is True
    assert body["has_prev"] is False


def test_product_list_honours_per_page(client: Client) -> None:
    body = client.get("/api/products", params={"per_page": 3}).json()
    assert len(body["items"]) == 3
    assert body["per_page"] == 3


def test_per_page_is_capped_at_one_hundred(client: Client) -> None:
    body = client.get("/api/products", params={"per_page": 1000}).json()
    assert body["per_page"] == 100


def test_a_page_past_the_last_is_empty_not_an_error(client: Client) -> None:
    response = client.get("/api/products", params={"category": "books", "page": 99})
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == []
    assert body["has_next"] is False


def test_the_last_page_holds_the_remainder(client: Client) -> None:
    body = client.get(
        "/api/products", params={"category": "books", "per_page": 5, "page": 3}
    ).json()
    assert body["pages"] == 3
    assert [p["sku"] for p in body["items"]] == ["SEED-011", "SEED-012"]
    assert body["has_next"] is False
    assert body["has_prev"] is True


def test_page_zero_falls_back_to_the_first_page(client: Client) -> None:
    assert client.get("/api/products", params={"page": 0}).json()["page"] == 1


def test_a_page_that_is_not_a_number_falls_back_to_the_first_page(client: Client) -> None:
    response = client.get("/api/products", params={"page": "abc"})
    assert response.status_code == 200
    assert response.json()["page"] == 1


def test_category_filter_lists_only_that_category(client: Client) -> None:
    body = client.get("/api/products", params={"category": "books", "per_page": 100}).json()
    assert body["total"] == 12
    assert {p["category"] for p in body["items"]} == {"books"}


def test_an_unknown_category_filter_is_404_json(client: Client) -> None:
    response = client.get("/api/products", params={"category": "no-such-category"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["status"] == 404


def test_search_matches_part_of_the_name_ignoring_case(client: Client) -> None:
    body = client.get("/api/products", params={"q": "SKILLET"}).json()
    assert [p["name"] for p in body["items"]] == ["Cast Iron Skillet"]


def test_search_and_category_filters_combine(client: Client) -> None:
    body = client.get("/api/products", params={"category": "kitchen", "q": "tea"}).json()
    assert [p["name"] for p in body["items"]] == ["Ceramic Teapot", "Linen Tea Towels"]


def test_product_detail_serialises_price_as_a_decimal_string(client: Client) -> None:
    product_id = seed_product_id(client, "SEED-001")
    body = client.get(f"/api/products/{product_id}").json()
    assert body["sku"] == "SEED-001"
    assert body["name"] == "The Pragmatic Gardener"
    assert body["price"] == "5.99"
    assert body["category"] == "books"


def test_product_dates_are_http_dates(client: Client) -> None:
    product_id = seed_product_id(client)
    assert client.get(f"/api/products/{product_id}").json()["created_at"].endswith(" GMT")


def test_an_unknown_product_is_404_json(client: Client) -> None:
    response = client.get("/api/products/999999999")
    assert response.status_code == 404
    assert response.json()["error"] == "Not Found"


def test_a_product_id_that_is_not_an_integer_is_404(client: Client) -> None:
    assert client.get("/api/products/abc").status_code == 404
    assert client.get("/api/products/-1").status_code == 404


def test_an_unknown_api_path_is_404_json(client: Client) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error", "message", "status"}
    assert (body["error"], body["status"]) == ("Not Found", 404)


def test_a_trailing_slash_is_not_the_same_route(client: Client) -> None:
    assert client.get("/api/products/").status_code == 404


def test_admin_creates_a_product_and_gets_its_location(admin: Client) -> None:
    category = create_category(admin)
    name = unique("Lamp")
    response = admin.post(
        "/api/products",
        json={"name": name, "sku": unique("L")[:32], "price": 12.5, "category_id": category["id"]},
    )
    assert response.status_code == 201
    created = response.json()
    assert created["price"] == "12.50"
    assert created["stock"] == 0
    assert response.headers["location"].endswith(f"/api/products/{created['id']}")
    assert admin.get(f"/api/products/{created['id']}").json()["name"] == name


def test_creating_a_product_requires_login(client: Client) -> None:
    response = client.post("/api/products", json={"name": "x"})
    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"


def test_creating_a_product_requires_an_admin(client: Client) -> None:
    log_in(client, **ALICE)
    assert client.post("/api/products", json={"name": "x"}).status_code == 403


def test_creating_a_product_without_fields_lists_every_missing_field(admin: Client) -> None:
    response = admin.post("/api/products", json={})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "validation failed"
    assert set(body["fields"]) == {"name", "sku", "price", "category_id"}


def test_a_negative_price_is_rejected(admin: Client) -> None:
    response = admin.post(
        "/api/products", json={"name": "x", "sku": unique("N"), "price": -1, "category_id": 1}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["price"] == "must not be negative"


def test_an_unknown_category_is_rejected(admin: Client) -> None:
    response = admin.post(
        "/api/products", json={"name": "x", "sku": unique("N"), "price": 1, "category_id": 99999999}
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"category_id": "no such category"}


def test_a_duplicate_sku_is_rejected(admin: Client) -> None:
    product = create_product(admin)
    response = admin.post(
        "/api/products",
        json={
            "name": "x",
            "sku": product["sku"],
            "price": 1,
            "category_id": product["category_id"],
        },
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"sku": "already used by another product"}


def test_a_body_that_is_not_json_is_rejected(admin: Client) -> None:
    response = admin.post(
        "/api/products", content=b"name=x", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "the request body must be a JSON object"


def test_a_json_array_body_is_rejected(admin: Client) -> None:
    assert admin.post("/api/products", json=[1, 2]).status_code == 400


def test_patch_changes_only_the_given_fields(admin: Client) -> None:
    product = create_product(admin, stock=5)
    response = admin.patch(f"/api/products/{product['id']}", json={"stock": 42})
    assert response.status_code == 200
    assert response.json()["stock"] == 42
    assert response.json()["name"] == product["name"]


def test_put_requires_the_whole_product(admin: Client) -> None:
    product = create_product(admin)
    response = admin.put(f"/api/products/{product['id']}", json={"stock": 1})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"name", "sku", "price", "category_id"}


def test_put_replaces_the_product(admin: Client) -> None:
    product = create_product(admin)
    body = {
        "name": unique("Renamed"),
        "sku": product["sku"],
        "price": "1.05",
        "category_id": product["category_id"],
    }
    response = admin.put(f"/api/products/{product['id']}", json=body)
    assert response.status_code == 200
    assert response.json()["name"] == body["name"]
    assert response.json()["price"] == "1.05"


def test_delete_removes_the_product(admin: Client) -> None:
    product = create_product(admin)
    response = admin.delete(f"/api/products/{product['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert admin.get(f"/api/products/{product['id']}").status_code == 404


def test_deleting_an_unknown_product_is_404(admin: Client) -> None:
    assert admin.delete("/api/products/999999999").status_code == 404


def test_an_unsupported_method_is_405_with_allow(client: Client) -> None:
    response = client.post("/api/products/1")
    assert response.status_code == 405
    assert response.json()["status"] == 405
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "PUT", "PATCH", "DELETE"} <= allowed


def test_head_answers_like_get_without_a_body(client: Client) -> None:
    response = client.head("/api/products")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b""


def test_options_lists_the_allowed_methods(client: Client) -> None:
    response = client.options("/api/products")
    assert response.status_code == 200
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "HEAD", "OPTIONS", "POST"} <= allowed


def test_every_response_carries_its_processing_time(client: Client) -> None:
    assert float(client.get("/api/categories").headers["x-response-time-ms"]) >= 0
