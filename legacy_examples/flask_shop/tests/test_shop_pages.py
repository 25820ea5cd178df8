"""The HTML shop: pages, the session cart, checkout with a CSRF-protected form."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from .helpers import (
    ADMIN,
    ALICE,
    Client,
    create_category,
    create_product,
    csrf_token,
    form_token,
    location_path,
    log_in,
    register,
    seed_product_id,
)


def add_to_cart(client: Client, product_id: int, quantity: int = 1) -> Any:
    token = form_token(client, f"/products/{product_id}")
    return client.post(
        f"/cart/add/{product_id}", data={"csrf_token": token, "quantity": str(quantity)}
    )


def test_the_home_page_lists_products_page_by_page(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "The Pragmatic Gardener" in page.text
    assert "Page 1 of" in page.text
    assert 'rel="next"' in page.text


def test_the_home_page_filters_by_category(client: Client) -> None:
    page = client.get("/", params={"category": "garden"})
    assert "Watering Can" in page.text
    assert "Cast Iron Skillet" not in page.text


def test_an_unknown_page_is_an_html_404(client: Client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text


def test_an_unknown_category_page_is_404(client: Client) -> None:
    assert client.get("/", params={"category": "nothing-here"}).status_code == 404


def test_a_product_page_has_an_add_to_cart_form(client: Client) -> None:
    page = client.get(f"/products/{seed_product_id(client)}")
    assert page.status_code == 200
    assert "The Pragmatic Gardener" in page.text
    assert csrf_token(page.text)


def test_adding_to_the_cart_redirects_to_the_cart(client: Client) -> None:
    product_id = seed_product_id(client, "SEED-003")
    response = add_to_cart(client, product_id, quantity=2)
    assert response.status_code == 302
    assert location_path(response) == "/cart"
    cart = client.get("/cart").text
    assert "Patterns of Migration" in cart
    assert '<td class="quantity">2</td>' in cart
    assert "Added 2 × Patterns of Migration to your cart." in cart
    assert "Cart (2)" in cart


def test_adding_to_the_cart_without_a_csrf_token_is_refused(client: Client) -> None:
    product_id = seed_product_id(client)
    assert client.post(f"/cart/add/{product_id}", data={"quantity": "1"}).status_code == 400


def test_a_quantity_of_zero_goes_back_to_the_product(client: Client) -> None:
    product_id = seed_product_id(client)
    response = add_to_cart(client, product_id, quantity=0)
    assert location_path(response) == f"/products/{product_id}"
    assert "Choose a quantity between 1 and 99." in client.get(f"/products/{product_id}").text


def test_removing_from_the_cart(client: Client) -> None:
    product_id = seed_product_id(client)
    add_to_cart(client, product_id)
    token = csrf_token(client.get("/cart").text)
    response = client.post(f"/cart/remove/{product_id}", data={"csrf_token": token})
    assert location_path(response) == "/cart"
    assert "Your cart is empty." in client.get("/cart").text


def test_checkout_sends_anonymous_users_to_the_login_page(client: Client) -> None:
    response = client.get("/checkout")
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert location.path == "/auth/login"
    assert parse_qs(location.query)["next"] == ["/checkout"]


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client: Client) -> None:
    log_in(client, **ALICE)
    assert location_path(client.get("/checkout")) == "/cart"


def test_checkout_shows_form_errors(client: Client) -> None:
    log_in(client, **ALICE)
    add_to_cart(client, seed_product_id(client))
    token = form_token(client, "/checkout")
    response = client.post(
        "/checkout",
        data={
            "csrf_token": token,
            "full_name": "",
            "address": "x",
            "city": "Gent",
            "shipping": "teleport",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Field must be between 5 and 200 characters long." in response.text
    assert "Not a valid choice." in response.text


def test_checkout_places_the_order_and_empties_the_cart(client: Client, make_client: Any) -> None:
    admin = make_client()
    log_in(admin, **ADMIN)
    product = create_product(admin, stock=10)
    register(client)
    add_to_cart(client, product["id"], quantity=4)
    token = form_token(client, "/checkout")
    response = client.post(
        "/checkout",
        data={
            "csrf_token": token,
            "full_name": "Carla Checkout",
            "address": "1 Long Street",
            "city": "Gent",
            "postcode": "9000",
            "shipping": "express",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert location_path(response) == "/orders"
    orders_page = client.get("/orders").text
    assert "is placed." in orders_page
    assert f"4 × {product['name']}" in orders_page
    assert "express" in orders_page
    assert "Your cart is empty." in client.get("/cart").text
    assert admin.get(f"/api/products/{product['id']}").json()["stock"] == 6


def test_the_order_history_requires_login(client: Client) -> None:
    assert location_path(client.get("/orders")) == "/auth/login"


def test_only_admins_may_open_the_product_form(client: Client) -> None:
    log_in(client, **ALICE)
    assert client.get("/admin/products/new").status_code == 403


def test_admin_creates_a_product_with_an_image_through_the_form(admin: Client) -> None:
    category = create_category(admin)
    token = form_token(admin, "/admin/products/new")
    response = admin.post(
        "/admin/products/new",
        data={
            "csrf_token": token,
            "name": "Form Lamp",
            "sku": category["slug"][-20:],
            "description": "",
            "price": "19.90",
            "stock": "3",
            "category_id": str(category["id"]),
        },
        files={"image": ("lamp.png", b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert response.status_code == 302
    product_path = location_path(response)
    assert product_path.startswith("/products/")
    product = admin.get("/api" + product_path).json()
    assert product["name"] == "Form Lamp"
    assert product["price"] == "19.90"
    assert product["has_image"] is True


def test_the_product_form_rejects_an_unknown_category(admin: Client) -> None:
    token = form_token(admin, "/admin/products/new")
    response = admin.post(
        "/admin/products/new",
        data={
            "csrf_token": token,
            "name": "x",
            "sku": "x",
            "price": "1",
            "stock": "1",
            "category_id": "999999999",
        },
    )
    assert response.status_code == 200
    assert "Not a valid choice." in response.text
