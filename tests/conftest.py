from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.corpus import summary as corpus_summary
from tests.support import services


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    corpus_summary.print_summary(terminalreporter)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the real server; dropped afterwards."""
    services.require_postgres()
    with services.fresh_postgres_database() as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """The real Redis server (database 15, flushed by the tests that use it)."""
    return services.require_redis()
