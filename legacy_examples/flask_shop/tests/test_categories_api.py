"""Categories: a class-based (MethodView) resource."""

from __future__ import annotations

from .helpers import Client, create_category, create_product, unique


def test_categories_include_the_seeded_ones(client: Client) -> None:
    slugs = {c["slug"] for c in client.get("/api/categories").json()}
    assert {"books", "kitchen", "garden"} <= slugs


def test_a_category_reports_how_many_products_it_has(client: Client) -> None:
    books = next(c for c in client.get("/api/categories").json() if c["slug"] == "books")
    body = client.get(f"/api/categories/{books['id']}").json()
    assert body["name"] == "Books"
    assert body["product_count"] == 12


def test_an_unknown_category_is_404(client: Client) -> None:
    assert client.get("/api/categories/999999999").status_code == 404


def test_a_category_slug_must_be_lowercase_words_and_dashes(admin: Client) -> None:
    response = admin.post("/api/categories", json={"name": "Bad", "slug": "Not A Slug"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"slug"}


def test_a_category_slug_must_be_unique(admin: Client) -> None:
    response = admin.post("/api/categories", json={"name": unique("Books"), "slug": "books"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"slug": "already used by another category"}


def test_patch_renames_a_category(admin: Client) -> None:
    category = create_category(admin)
    new_name = unique("Renamed")
    response = admin.patch(f"/api/categories/{category['id']}", json={"name": new_name})
    assert response.status_code == 200
    assert response.json() == {**category, "name": new_name}


def test_a_category_with_products_cannot_be_deleted(admin: Client) -> None:
    product = create_product(admin)
    response = admin.delete(f"/api/categories/{product['category_id']}")
    assert response.status_code == 409


def test_an_empty_category_is_deleted(admin: Client) -> None:
    category = create_category(admin)
    assert admin.delete(f"/api/categories/{category['id']}").status_code == 204
    assert admin.get(f"/api/categories/{category['id']}").status_code == 404


def test_creating_a_category_requires_login(client: Client) -> None:
    assert client.post("/api/categories", json={"name": "x", "slug": "x"}).status_code == 401
