"""Every command reads strangler.toml through one model: `strangler parity` refuses what
`strangler serve` refuses, with exit 2 and the same message, line numbers and environment
variable names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.cli.conftest import strangler

GOOD = """\
[legacy]
app = "legacy_app:app"

[migrated]
app = "tests.unit.cli.apps:migrated"

[[routes]]
path = "/api/products"
methods = ["GET"]
mode = "new"
"""

BAD = {
    "unknown mode": (
        GOOD.replace('mode = "new"', 'mode = "nwe"'),
        "strangler.toml:10: routes[0].mode",
    ),
    "unknown key": (GOOD + 'mdoe = "new"\n', "strangler.toml:11: routes[0].mdoe: unknown key"),
    "unknown section": (
        GOOD + "[edgee]\nrate_limit = '1/second'\n",
        "strangler.toml:11: edgee: unknown key",
    ),
}


def first_error(text: str, tmp_path: Path, command: str, env: dict[str, str] | None = None) -> str:
    config = tmp_path / "strangler.toml"
    config.write_text(text)
    result = strangler(command, "-c", config, env=env)
    assert result.exit_code == 2, result.output
    return result.stderr.replace(f"{tmp_path}/", "")  # the file as the test names it


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_parity_refuses_a_bad_config_with_the_message_serve_gives(
    tmp_path: Path, case: str
) -> None:
    text, expected = BAD[case]

    parity = first_error(text, tmp_path, "parity")
    serve = first_error(text, tmp_path, "serve")

    assert parity == serve
    assert parity.startswith(f"strangler: {expected}")


def test_a_failing_environment_override_names_the_variable_in_every_command(
    tmp_path: Path,
) -> None:
    env = {"STRANGLER_LEGACY__THREADS": "abc"}

    parity = first_error(GOOD, tmp_path, "parity", env)
    serve = first_error(GOOD, tmp_path, "serve", env)
    status = first_error(GOOD, tmp_path, "status", env)

    assert parity == serve == status
    assert parity.startswith("strangler: environment variable STRANGLER_LEGACY__THREADS:")
    assert "strangler.toml:" not in parity


def test_an_override_of_a_section_that_does_not_exist_is_refused_by_parity(
    tmp_path: Path,
) -> None:
    env = {"STRANGLER_EDGEE__RATE_LIMIT": "1/second"}

    parity = first_error(GOOD, tmp_path, "parity", env)

    assert "STRANGLER_EDGEE__RATE_LIMIT: overrides [edgee], which is not a config section" in (
        parity
    )
