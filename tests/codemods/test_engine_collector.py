"""The codemod's imports are kept out of the garbage collector's passes (engine/collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from codemods.engine.collector import long_lived
from proxy.cli.codemod import long_lived_imports


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
def test_no_collection_runs_within_and_what_was_made_is_frozen_after() -> None:
    with long_lived():
        assert not gc.isenabled()
        made = [[index] for index in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made)


@pytest.mark.usefixtures("unfrozen")
def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_framework_already_imported_is_not_frozen_again() -> None:
    frozen = gc.get_freeze_count()
    with long_lived_imports("codemods.engine.collector"):  # imported above
        pass
    assert gc.get_freeze_count() == frozen
