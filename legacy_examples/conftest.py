"""Shared by the legacy example suites: the choice between in-process and over-HTTP runs.

`pytest legacy_examples/flask_shop/tests` runs in-process (the framework's own test client);
`pytest legacy_examples/flask_shop/tests --base-url http://127.0.0.1:PORT` runs the same tests
over HTTP against a server started and seeded beforehand (gunicorn, or the strangler front).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--base-url",
        default=None,
        help="run the legacy example suites over HTTP against this server instead of in-process",
    )


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str | None:
    value = request.config.getoption("--base-url")
    return value.rstrip("/") if value else None
