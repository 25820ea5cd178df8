"""bench/codemod_speed: each in-process run starts without the previous run's source caches."""

from __future__ import annotations

from pathlib import Path

from bench.codemod_speed.bench import forget_runs
from codemods.engine import kinds
from codemods.flask.rules import guards

SHOP = Path(__file__).resolve().parents[2] / "legacy_examples" / "flask_shop"


def test_forget_runs_empties_the_caches_keyed_by_sources_and_keeps_the_process_wide_ones() -> None:
    guards.package_guards(SHOP)
    kinds.bounds()
    assert guards._scan_guards.cache_info().currsize >= 1
    forget_runs()
    assert guards._scan_guards.cache_info().currsize == 0
    assert kinds.bounds.cache_info().currsize == 1  # no argument: the same for any sources
