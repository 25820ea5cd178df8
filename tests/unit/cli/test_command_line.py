"""What every command that reads strangler.toml shares: -c/--config and $STRANGLER_CONFIG, a
missing config that says how to give one, the new config tables, and --help without `<bool>`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from proxy.cli import app
from tests.unit.cli.conftest import ROUTES, strangler, write_config

CONFIG_COMMANDS = ["status", "audit", "cutover", "rollback", "plan", "routes", "parity", "serve"]


def every_command_path() -> list[list[str]]:
    def walk(command: Any, prefix: list[str]) -> list[list[str]]:
        found = [prefix]
        for name, sub in getattr(command, "commands", {}).items():  # a group's commands
            found += walk(sub, [*prefix, name])
        return found

    return walk(typer.main.get_command(app), [])


@pytest.mark.parametrize("command", every_command_path(), ids=lambda c: " ".join(c) or "strangler")
def test_help_shows_flags_without_a_fake_bool_value(command: list[str]) -> None:
    result = strangler(*command, "--help")

    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout
    assert "--help" in result.stdout


def test_status_reads_the_config_named_by_strangler_config(tmp_path: Path) -> None:
    config = write_config(tmp_path, None)

    result = strangler("status", "--json", env={"STRANGLER_CONFIG": str(config)})

    assert result.exit_code == 0, result.output
    assert (tmp_path / "strangler.state.db").exists()  # the store beside the config


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_a_missing_config_says_how_to_give_one(tmp_path: Path, command: str) -> None:
    result = strangler(
        command, *(["/api/x"] if command in ("cutover", "plan") else []),
        *(["--to", "new"] if command == "cutover" else []),
        *(["--all"] if command == "rollback" else []),
        "-c", tmp_path / "absent.toml",
    )  # fmt: skip

    assert result.exit_code == 2
    assert result.stderr.startswith("strangler: ")
    assert "--config" in result.stderr and "$STRANGLER_CONFIG" in result.stderr


def test_parity_reads_the_config_named_by_strangler_config(tmp_path: Path) -> None:
    absent = tmp_path / "elsewhere.toml"

    result = strangler("parity", env={"STRANGLER_CONFIG": str(absent)})

    assert result.exit_code == 2
    assert result.stderr.startswith(f"strangler: {absent}: cannot read the config file")


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('[store]\nurl = "mysql://db/state"', "store.url"),
        ('[canary]\ncookie_secret = "short"', "canary.cookie_secret"),
        (
            '[[admin.tokens]]\nname = "ana"\nrole = "root"\nsha256 = "' + "a" * 64 + '"',
            "admin.tokens[0].role",
        ),
        ("[store]\nurll = 1", "store.urll"),
    ],
    ids=["store url", "canary secret", "admin role", "unknown store key"],
)
def test_bad_new_tables_exit_2_naming_key_and_line(tmp_path: Path, table: str, key: str) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(ROUTES + "\n" + table + "\n")
    name = key.rsplit(".", 1)[-1]
    line = 1 + config.read_text().splitlines().index(
        next(text for text in table.splitlines() if text.startswith(f"{name} ="))
    )

    result = strangler("status", "-c", config)

    assert result.exit_code == 2
    assert f"strangler.toml:{line}: {key}: " in result.stderr


def test_the_new_tables_are_accepted(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(
        ROUTES
        + f'\n[store]\nurl = "sqlite:///{tmp_path}/elsewhere.db"\n'
        + '[canary]\ncookie_secret = "0123456789abcdef"\n'
        + '[[admin.tokens]]\nname = "ana"\nrole = "operator"\nsha256 = "'
        + "a" * 64
        + '"\n'
    )

    result = strangler("status", "-c", config)

    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere.db").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["cutover", "/api/products"], "Missing option '--to'"),
        (
            ["cutover", "/api/products", "--to", "new", "--weight", "ten"],
            "Invalid value for '--weight'",
        ),
        (["no-such-command"], "No such command 'no-such-command'"),
    ],
    ids=["missing option", "bad value", "unknown command"],
)
def test_usage_errors_start_with_strangler_and_exit_2(arguments: list[str], message: str) -> None:
    result = strangler(*arguments)

    assert result.exit_code == 2
    assert result.stderr.startswith(f"strangler: {message}")
    assert "--help' for help." in result.stderr
