"""What tests share: demo credentials, CSRF token extraction, logging in, unique names."""

from __future__ import annotations

import re
import uuid
from typing import Any, Protocol
from urllib.parse import urlsplit

ADMIN = {"email": "admin@example.com", "password": "admin-password"}
ALICE = {"email": "alice@example.com", "password": "alice-password"}

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')


class Response(Protocol):
    status_code: int
    headers: Any
    content: bytes

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


class Client(Protocol):
    def get(self, path: str, **kwargs: Any) -> Any: ...
    def head(self, path: str, **kwargs: Any) -> Any: ...
    def options(self, path: str, **kwargs: Any) -> Any: ...
    def post(self, path: str, **kwargs: Any) -> Any: ...
    def put(self, path: str, **kwargs: Any) -> Any: ...
    def patch(self, path: str, **kwargs: Any) -> Any: ...
    def delete(self, path: str, **kwargs: Any) -> Any: ...


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def csrf_token(html: str) -> str:
    tag = CSRF_INPUT.search(html)
    assert tag, "the page has no csrf_token field"
    value = VALUE.search(tag.group(0))
    assert value, "the csrf_token field has no value"
    return value.group(1)


def form_token(client: Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return csrf_token(page.text)


def location_path(response: Response) -> str:
    return urlsplit(response.headers["location"]).path


def log_in(client: Client, email: str, password: str) -> Response:
    token = form_token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"csrf_token": token, "email": email, "password": password}
    )
    assert response.status_code == 302, response.text
    return response


def register(client: Client, name: str = "Test Customer") -> dict[str, str]:
    """Create a new customer (logged in on `client`) and return their credentials."""
    credentials = {"email": f"{unique('customer')}@example.com", "password": "a-long-password"}
    token = form_token(client, "/auth/register")
    response = client.post(
        "/auth/register",
        data={
            "csrf_token": token,
            "name": name,
            "email": credentials["email"],
            "password": credentials["password"],
            "confirm": credentials["password"],
        },
    )
    assert response.status_code == 302, response.text
    return credentials


def create_category(admin: Client) -> dict[str, Any]:
    slug = unique("test-category")
    response = admin.post("/api/categories", json={"name": slug.title(), "slug": slug})
    assert response.status_code == 201, response.text
    return response.json()


def create_product(admin: Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": unique("Test product"),
        "sku": unique("T")[:32],
        "price": "9.50",
        "stock": 5,
        "category_id": create_category(admin)["id"],
        **overrides,
    }
    response = admin.post("/api/products", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def seed_product_id(client: Client, sku: str = "SEED-001") -> int:
    products = client.get("/api/products", params={"category": "books", "per_page": 100}).json()
    return next(p["id"] for p in products["items"] if p["sku"] == sku)
