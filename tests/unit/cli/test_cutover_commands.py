"""`strangler cutover`, `rollback` and `plan` change a route's live state in the store (SQLite
and real Redis), with exit codes 0 done, 1 refused, 2 bad input, 3 store unreachable."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.unit.cli.conftest import strangler, unused_port, write_config


def live(config: Path, path: str, methods: list[str]) -> dict[str, object]:
    result = strangler("status", "--config", config, "--json")
    assert result.exit_code == 0, result.output
    return next(
        row for row in json.loads(result.stdout) if (row["path"], row["methods"]) == (path, methods)
    )


def test_cutover_sets_the_live_mode_and_status_shows_it(config: Path) -> None:
    result = strangler(
        "cutover", "/api/orders/{order_id}", "--to", "shadow", "--reason", "watch", "-c", config
    )

    assert result.exit_code == 0, result.output
    assert "GET /api/orders/{order_id}: new -> shadow (version 1)" in result.stdout
    row = live(config, "/api/orders/{order_id}", ["GET"])
    assert (row["configured_mode"], row["mode"], row["version"]) == ("new", "shadow", 1)


def test_cutover_to_canary_keeps_the_weight(config: Path) -> None:
    result = strangler(
        "cutover", "/api/products", "--method", "get", "--to", "canary", "--weight", "10",
        "-c", config, "--json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "route": "GET /api/products", "path": "/api/products", "methods": ["GET"],
        "mode": "canary", "weight": 10, "version": 1,
    }  # fmt: skip
    assert live(config, "/api/products", ["GET"])["weight"] == 10


def test_a_cutover_to_the_state_in_force_writes_nothing(config: Path) -> None:
    strangler("cutover", "/api/orders/{order_id}", "--to", "shadow", "-c", config)

    again = strangler("cutover", "/api/orders/{order_id}", "--to", "shadow", "-c", config)

    assert again.exit_code == 0
    assert "nothing to do" in again.stdout
    assert live(config, "/api/orders/{order_id}", ["GET"])["version"] == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["--to", "nwe"],
        ["--to", "new", "--weight", "10"],
        ["--to", "canary", "--weight", "101"],
    ],
    ids=["unknown mode", "weight without canary", "weight above 100"],
)
def test_bad_input_exits_2_and_writes_nothing(config: Path, arguments: list[str]) -> None:
    result = strangler("cutover", "/api/orders/{order_id}", *arguments, "-c", config)

    assert result.exit_code == 2
    assert result.stderr.startswith("strangler: ")
    assert live(config, "/api/orders/{order_id}", ["GET"])["version"] == 0


def test_an_unknown_route_exits_2_listing_the_near_matches(config: Path) -> None:
    result = strangler("cutover", "/api/product", "--to", "new", "-c", config)

    assert result.exit_code == 2
    assert "did you mean /api/products?" in result.stderr


def test_a_path_with_several_entries_asks_for_method(config: Path) -> None:
    result = strangler("cutover", "/api/products", "--to", "new", "-c", config)

    assert result.exit_code == 2
    assert "pick one with --method" in result.stderr
    assert "POST,PUT /api/products" in result.stderr


def test_a_stale_version_is_refused_with_exit_1(config: Path) -> None:
    strangler("cutover", "/api/orders/{order_id}", "--to", "shadow", "-c", config)

    result = strangler(
        "cutover", "/api/orders/{order_id}", "--to", "legacy", "--if-version", "0", "-c", config
    )

    assert result.exit_code == 1
    assert "changed meanwhile" in result.stderr
    assert live(config, "/api/orders/{order_id}", ["GET"])["mode"] == "shadow"


def test_a_running_plan_refuses_a_cutover_unless_forced(config: Path) -> None:
    route = "/api/orders/{order_id}"
    strangler("plan", route, "--step", "shadow:30m", "--step", "new", "-c", config)

    refused = strangler("cutover", route, "--to", "legacy", "-c", config)
    forced = strangler("cutover", route, "--to", "legacy", "--force", "-c", config)

    assert refused.exit_code == 1
    assert "--abort" in refused.stderr
    assert forced.exit_code == 0, forced.output
    assert live(config, route, ["GET"])["plan"]["status"] == "aborted"  # type: ignore[index]


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["audit"],
        ["cutover", "/api/orders/{order_id}", "--to", "new"],
        ["rollback", "--all"],
        ["plan", "/api/orders/{order_id}", "--step", "new"],
    ],
    ids=lambda command: command[0],
)
def test_a_store_nobody_listens_on_exits_3(tmp_path: Path, command: list[str]) -> None:
    config = write_config(tmp_path, f"redis://127.0.0.1:{unused_port()}/0")

    result = strangler(*command, "-c", config)

    assert result.exit_code == 3
    assert result.stderr.startswith("strangler: state store redis://127.0.0.1:")


def test_rollback_sets_legacy_with_the_reason_in_the_audit(config: Path) -> None:
    strangler("cutover", "/api/products", "--method", "GET", "--to", "new", "-c", config)

    result = strangler(
        "rollback", "/api/products", "--method", "GET", "--reason", "5xx", "-c", config
    )

    assert result.exit_code == 0, result.output
    assert live(config, "/api/products", ["GET"])["mode"] == "legacy"
    audit = json.loads(strangler("audit", "-c", config, "--json").stdout)
    assert (audit[-1]["to_mode"], audit[-1]["why"]) == ("legacy", "5xx")


def test_rollback_all_rolls_back_every_route_not_at_legacy(config: Path) -> None:
    result = strangler("rollback", "--all", "-c", config, "--json")

    assert result.exit_code == 0, result.output
    rolled = {row["route"]: row["rolled_back"] for row in json.loads(result.stdout)}
    assert rolled == {
        "GET /api/products": False,
        "POST,PUT /api/products": False,
        "GET /api/orders/{order_id}": True,  # the file says new
    }


def test_rollback_needs_a_route_or_all(config: Path) -> None:
    assert strangler("rollback", "-c", config).exit_code == 2
    assert strangler("rollback", "/api/orders/{order_id}", "--all", "-c", config).exit_code == 2


def test_plan_starts_at_its_first_step(config: Path) -> None:
    result = strangler(
        "plan", "/api/orders/{order_id}", "--step", "shadow:30m", "--step", "canary:10:10m",
        "--step", "new", "-c", config, "--json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["mode"], shown["plan_step"]) == ("shadow", "1/3 shadow 30m (running)")
    assert [step["mode"] for step in shown["plan"]["steps"]] == ["shadow", "canary", "new"]


def test_plan_pause_resume_and_abort(config: Path) -> None:
    route = "/api/orders/{order_id}"
    strangler("plan", route, "--step", "canary:5:10m", "--step", "new", "-c", config)

    for flag, status in (("--pause", "paused"), ("--resume", "running"), ("--abort", "aborted")):
        result = strangler("plan", route, flag, "-c", config, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["plan"]["status"] == status
    row = live(config, route, ["GET"])
    assert (row["mode"], row["weight"]) == ("canary", 5)


def test_pausing_without_a_plan_is_refused(config: Path) -> None:
    result = strangler("plan", "/api/orders/{order_id}", "--pause", "-c", config)

    assert result.exit_code == 1
    assert "nothing to pause" in result.stderr


@pytest.mark.parametrize("step", ["canary:200", "shadow", "shadow:30x"])
def test_a_bad_step_exits_2(config: Path, step: str) -> None:
    result = strangler("plan", "/api/orders/{order_id}", "--step", step, "--step", "new",
                       "-c", config)  # fmt: skip

    assert result.exit_code == 2
    assert result.stderr.startswith("strangler: ")


def test_serve_on_a_port_in_use_names_it_and_how_to_pick_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = strangler("serve", "-c", write_config(tmp_path, None), "--port", str(port))

    assert result.exit_code == 2
    assert f"127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr and "make demo PORT=" in result.stderr


def test_an_unknown_route_is_reported_even_when_the_store_is_down(tmp_path: Path) -> None:
    config = write_config(tmp_path, f"redis://127.0.0.1:{unused_port()}/0")

    result = strangler("cutover", "/api/product", "--to", "new", "-c", config)

    assert result.exit_code == 2
    assert "did you mean /api/products?" in result.stderr


@pytest.mark.parametrize("mode", ["shadow", "canary", "new"])
def test_a_flip_to_a_mode_the_migrated_app_has_no_handler_for_is_refused(
    tmp_path: Path, mode: str
) -> None:
    config = write_config(tmp_path, None, '\n[[routes]]\npath = "/api/reports"\n')

    result = strangler("cutover", "/api/reports", "--to", mode, "-c", config)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"strangler: refused: GET /api/reports cannot be {mode}: mode is {mode} but the"
        " migrated app has no handler for GET"
    )
    assert live(config, "/api/reports", ["GET"])["version"] == 0


def test_a_flip_that_needs_no_handler_is_not_checked(tmp_path: Path) -> None:
    config = write_config(tmp_path, None, '\n[[routes]]\npath = "/api/reports"\n')

    result = strangler("cutover", "/api/reports", "--to", "retired", "-c", config)

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("steps", "refused_step"),
    [
        (["shadow:30m", "canary:10:10m", "new"], "1/3 shadow:30m"),
        (["legacy:10m", "retired:10m", "canary:10:10m", "new"], "3/4 canary:10:10m"),
    ],
    ids=["first step", "a later step"],
)
def test_a_plan_with_a_step_the_migrated_app_has_no_handler_for_is_refused(
    tmp_path: Path, steps: list[str], refused_step: str
) -> None:
    config = write_config(tmp_path, None, '\n[[routes]]\npath = "/api/reports"\n')
    mode = refused_step.split()[1].split(":")[0]

    result = strangler("plan", "/api/reports", *(f"--step={step}" for step in steps), "-c", config)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"strangler: refused: GET /api/reports: plan step {refused_step} cannot run: mode is"
        f" {mode} but the migrated app has no handler for GET"
    )
    assert live(config, "/api/reports", ["GET"])["version"] == 0


def test_a_plan_whose_steps_all_have_their_handler_is_stored(tmp_path: Path) -> None:
    config = write_config(tmp_path, None, '\n[[routes]]\npath = "/api/reports"\n')

    result = strangler(
        "plan", "/api/orders/{order_id}", "--step", "shadow:30m", "--step", "canary:10:10m",
        "--step", "new", "-c", config,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert live(config, "/api/orders/{order_id}", ["GET"])["mode"] == "shadow"
