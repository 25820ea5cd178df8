"""Small steps the blog tests share; they only talk HTTP, so they work both ways."""

from __future__ import annotations

import re
import uuid
from typing import Any

LOGIN_URL = "/accounts/login/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LONG_ENOUGH_BODY = "A body that is comfortably longer than the twenty character minimum."


def unique(prefix: str) -> str:
    """A name no other test (or earlier run against the same server) has used."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token field"
    return match.group(1)


def login(client: Any, username: str, password: str) -> Any:
    page = client.get(LOGIN_URL)
    assert page.status_code == 200
    response = client.post(
        LOGIN_URL,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(page.text),
        },
    )
    assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
    return response


def submit_form(client: Any, page_path: str, action: str, fields: dict[str, Any]) -> Any:
    """Open the page holding a form, then post the form with the CSRF token it carries."""
    page = client.get(page_path)
    assert page.status_code == 200
    return client.post(action, data={**fields, "csrfmiddlewaretoken": csrf_token(page.text)})


def create_post(client: Any, **fields: Any) -> dict[str, Any]:
    """Create a post through the JSON API (as the client's user); returns the created post."""
    payload = {"title": unique("Test post"), "body": LONG_ENOUGH_BODY, **fields}
    response = client.post("/api/posts/", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def find_post_id(client: Any, title: str, status: str = "published") -> int:
    """The id of the post with exactly this title, found through the list's search filter."""
    response = client.get("/api/posts/", params={"search": title, "status": status})
    assert response.status_code == 200
    ids = [post["id"] for post in response.json()["results"] if post["title"] == title]
    assert len(ids) == 1, f"expected one post titled {title!r}"
    return ids[0]
