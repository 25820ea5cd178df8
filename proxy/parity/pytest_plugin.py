"""Parity inside a team's own pytest suite.

Enable it in a conftest.py with `pytest_plugins = ["proxy.parity.pytest_plugin"]`, then:

    def test_migrated_routes_match_legacy(parity):
        run = parity.run(routes=["/api/products/{product_id:int}"], max_examples=20)
        parity.assert_no_differences(run)

The `parity` fixture reads `strangler.toml` (or `--parity-config`) and, as `strangler parity`
does, the live modes of the state store it names; `--parity-seed` and
`--parity-max-examples` override the config for the whole session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from proxy.parity.config import Phase, load_live_config
from proxy.parity.runner import BOTH_FAILED, ParityRun
from proxy.parity.session import ParitySession, RunOptions
from proxy.settings import config_path


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("strangler-parity")
    group.addoption(
        "--parity-config", default=None, help="strangler.toml used by the parity fixture"
    )
    group.addoption("--parity-seed", type=int, default=None, help="seed of the generated cases")
    group.addoption(
        "--parity-max-examples", type=int, default=None, help="fuzzing examples per operation"
    )


class ParityDifferences(AssertionError):
    pass


@dataclass
class ParityFixture:
    config_path: Path
    seed: int | None = None
    max_examples: int | None = None

    def run(
        self,
        *,
        routes: Sequence[str] = (),
        config: Path | str | None = None,
        max_examples: int | None = None,
        seed: int | None = None,
        legacy_url: str | None = None,
        new_url: str | None = None,
        phases: Sequence[Phase] | None = None,
    ) -> ParityRun:
        session = ParitySession(
            load_live_config(Path(config) if config else self.config_path),
            RunOptions(
                routes=routes,
                max_examples=max_examples or self.max_examples,
                seed=seed if seed is not None else self.seed,
                legacy_url=legacy_url,
                new_url=new_url,
                phases=phases,
            ),
        )
        return session.run()

    @staticmethod
    def assert_no_differences(run: ParityRun) -> None:
        differing = run.differing
        if not differing:
            return
        lines = [f"{len(differing)} parity case(s) differ:"]
        for outcome in differing[:20]:
            lines.append(f"- {outcome.case.label} as {outcome.identity}")
            if outcome.error:
                lines.append(f"    error: {outcome.error}")
            if outcome.verdict == BOTH_FAILED and outcome.legacy and outcome.new:
                lines.append(
                    f"    both failed: legacy answered {outcome.legacy.response.status}, "
                    f"new answered {outcome.new.response.status}"
                )
            lines.extend(f"    {d}" for d in outcome.comparison.real)
            lines.append(f"    {outcome.request.curl(run.legacy_base)}")
        raise ParityDifferences("\n".join(lines))


@pytest.fixture
def parity(request: pytest.FixtureRequest) -> ParityFixture:
    option = request.config.getoption("--parity-config")
    return ParityFixture(
        config_path=config_path(option),  # --parity-config, $STRANGLER_CONFIG, ./strangler.toml
        seed=request.config.getoption("--parity-seed"),
        max_examples=request.config.getoption("--parity-max-examples"),
    )
