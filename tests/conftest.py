from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.corpus import summary as corpus_summary
from tests.support import services, stray_files, xdist_groups

FILES_BEFORE = pytest.StashKey[set[Path]]()
STRAY_FILES = pytest.StashKey[list[str]]()


def pytest_itemcollected(item: pytest.Item) -> None:
    xdist_groups.group_by_module(item)


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own (lost) suffixing
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if getattr(config.option, "loadgroup", False):  # set in the workers of --dist loadgroup
        xdist_groups.add_group_suffixes(items)


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[FILES_BEFORE] = stray_files.present()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A file the run left in the checkout fails the run (checked once, by the controller under
    pytest-xdist)."""
    if hasattr(session.config, "workerinput"):
        return
    before: set[Path] = session.config.stash.get(FILES_BEFORE, set())
    new = stray_files.present() - before
    session.config.stash[STRAY_FILES] = stray_files.report(new)
    if new and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    corpus_summary.print_summary(terminalreporter)
    for line in terminalreporter.config.stash.get(STRAY_FILES, []):
        terminalreporter.write_line(line, red=True)


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
