"""Admin API tokens: hashed in the config, two roles, constant-time check, made by the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from proxy.admin_tokens import (
    AdminSettings,
    AdminToken,
    TokenVerifier,
    config_lines,
    make_token,
    token_hash,
)
from proxy.cli import app

runner = CliRunner()
# fixed, so test ids are the same in every xdist worker
VIEWER, OPERATOR = "stgl_viewer-token-of-the-tests", "stgl_operator-token-of-the-tests"
verifier = TokenVerifier(
    [
        AdminToken(name="vi", role="viewer", sha256=token_hash(VIEWER)),
        AdminToken(name="ana", role="operator", sha256=token_hash(OPERATOR).upper()),
    ]
)


def test_a_configured_token_identifies_its_holder_and_role() -> None:
    identity = verifier.identify(OPERATOR)
    assert identity is not None and (identity.name, identity.role) == ("ana", "operator")


def test_an_unknown_token_identifies_no_one() -> None:
    assert verifier.identify(make_token()) is None
    assert verifier.identify("") is None


def test_an_operator_may_read_and_change_a_viewer_may_only_read() -> None:
    viewer, operator = verifier.identify(VIEWER), verifier.identify(OPERATOR)
    assert viewer is not None and operator is not None
    assert viewer.may("viewer") and not viewer.may("operator")
    assert operator.may("viewer") and operator.may("operator")


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer ", f"Basic {VIEWER}", VIEWER, "Bearer wrong"]
)
def test_only_a_bearer_header_with_a_known_token_identifies(header: str | None) -> None:
    assert verifier.from_authorization(header) is None


def test_the_bearer_scheme_is_case_insensitive() -> None:
    identity = verifier.from_authorization(f"bearer {VIEWER}")
    assert identity is not None and identity.name == "vi"


def test_the_config_lines_hold_the_hash_not_the_token() -> None:
    token = make_token()
    lines = config_lines("ana", "operator", token)
    assert token not in lines
    assert lines.splitlines() == [
        "[[admin.tokens]]",
        'name = "ana"',
        'role = "operator"',
        f'sha256 = "{token_hash(token)}"',
    ]


def test_the_config_lines_parse_back_into_admin_settings() -> None:
    import tomllib

    raw = tomllib.loads(config_lines("ana", "viewer", make_token()))
    assert AdminSettings.model_validate(raw["admin"]).tokens[0].role == "viewer"


@pytest.mark.parametrize(
    "token",
    [
        {"name": "ana", "role": "admin", "sha256": "0" * 64},
        {"name": "ana", "role": "viewer", "sha256": "not hex"},
        {"name": "has space", "role": "viewer", "sha256": "0" * 64},
        {"name": "ana", "role": "viewer", "sha256": "0" * 64, "token": "plain"},
    ],
)
def test_a_bad_token_entry_is_refused(token: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        AdminSettings.model_validate({"tokens": [token]})


def test_two_tokens_with_one_name_are_refused() -> None:
    entry = {"name": "ana", "role": "viewer", "sha256": "0" * 64}
    with pytest.raises(ValidationError, match="unique: ana"):
        AdminSettings.model_validate({"tokens": [entry, entry]})


def test_the_command_prints_a_token_once_with_the_lines_to_add(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["admin", "token", "--role", "operator", "--name", "ana", "--json"],
        env={"STRANGLER_CONFIG": ""},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["sha256"] == token_hash(made["token"])
    assert made["token"] not in made["config"]
    identity = TokenVerifier(
        AdminSettings.model_validate({"tokens": [
            {"name": "ana", "role": "operator", "sha256": made["sha256"]}
        ]}).tokens
    ).identify(made["token"])  # fmt: skip
    assert identity is not None and identity.role == "operator"


def test_the_command_refuses_a_role_that_does_not_exist() -> None:
    result = runner.invoke(app, ["admin", "token", "--role", "root", "--name", "ana"])
    assert result.exit_code == 2
    assert "strangler: --role 'root': use one of viewer, operator" in result.output


def test_the_command_refuses_a_name_the_config_already_has(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(config_lines("ana", "viewer", make_token()))
    result = runner.invoke(
        app, ["admin", "token", "--role", "viewer", "--name", "ana", "--config", str(config)]
    )
    assert result.exit_code == 2
    assert "already has a token named 'ana'" in result.output


def test_strangler_version_prints_the_version() -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"strangler {version('strangler')}"
