"""The example app of docs/developer.md's Django section runs as shown."""

from __future__ import annotations

import re
from typing import Any

from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from fastapi.testclient import TestClient

from tests.codemods.runtime.django.sides import FASTAPI_COOKIE_DOMAIN
from tests.support.servers import REPO_ROOT

SECTION = "## Django: the runtime generated routes import"


def docs_example() -> str:
    page = (REPO_ROOT / "docs" / "developer.md").read_text()
    section = page[page.index(SECTION) :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the Django section has no Python example"
    return match.group(1)


def test_the_django_section_example_serves_pages_and_counts_in_the_session():
    namespace: dict[str, Any] = {}
    exec(compile(docs_example(), "docs/developer.md", "exec"), namespace)
    secret = _get_new_csrf_string()

    with TestClient(namespace["create_app"]()) as client:
        assert client.get("/drafts/").status_code == 200
        client.cookies.set("csrftoken", secret, domain=FASTAPI_COOKIE_DOMAIN)
        headers = {"X-CSRFToken": _mask_cipher_secret(secret)}
        assert client.post("/cart/").status_code == 403
        assert client.post("/cart/", headers=headers).json() == {"items": 1}
        assert client.post("/cart/", headers=headers).json() == {"items": 2}
