"""docs/runbook.md's commands, marked `<!-- runbook-test -->`, run in the page's order and exit as
shown, against a real front serving the flask_shop demo from a copy of strangler.toml (its own
state store, `/api/categories` starting at legacy, two admin tokens)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from legacy_examples.flask_shop.testing_server import seed_with_cli, shop_environment
from proxy.admin_tokens import config_lines, make_token
from tests.support.servers import REPO_ROOT, running_front

RUNBOOK = REPO_ROOT / "docs" / "runbook.md"
BLOCK = re.compile(
    r"<!--\s*runbook-test(?P<options>[^>]*)-->[ \t]*\n[ \t]*```console\n(?P<body>.*?)\n[ \t]*```",
    re.DOTALL,
)


def runbook_commands() -> list[tuple[str, int]]:
    commands = []
    for block in BLOCK.finditer(RUNBOOK.read_text()):
        exit_option = re.search(r"exit=(\d+)", block["options"])
        expected = int(exit_option[1]) if exit_option else 0
        commands += [(line.strip()[2:], expected) for line in block["body"].splitlines()
                     if line.strip().startswith("$ ")]  # fmt: skip
    return commands


@pytest.fixture
def demo_front(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment the runbook's commands run in: the config, the front's URL, the tokens."""
    viewer, operator = make_token(), make_token()
    config = tmp_path / "strangler.toml"
    text = (REPO_ROOT / "strangler.toml").read_text()
    text = text.replace(
        'path = "/api/categories"\nmethods = ["GET", "POST"]\nmode = "new"',
        'path = "/api/categories"\nmethods = ["GET", "POST"]\nmode = "legacy"',
    )
    assert 'path = "/api/categories"\nmethods = ["GET", "POST"]\nmode = "legacy"' in text
    tokens = config_lines("runbook-viewer", "viewer", viewer)
    tokens += "\n\n" + config_lines("runbook-operator", "operator", operator)
    store = f'[store]\nurl = "sqlite:///{tmp_path / "state.db"}"'  # the front's and the commands'
    config.write_text(f"{text}\n{store}\n\n{tokens}\n")
    shop = shop_environment(f"sqlite:///{tmp_path / 'shop.db'}", tmp_path / "uploads")
    seed_with_cli(shop)
    with running_front(config, env=shop) as url:
        yield {
            **shop,
            "STRANGLER_CONFIG": str(config),
            "STRANGLER_URL": url,
            "VIEWER_TOKEN": viewer,
            "OPERATOR_TOKEN": operator,
        }


def test_the_runbook_has_commands_for_every_step() -> None:
    text = " ".join(command for command, _ in runbook_commands())

    steps = ("--to shadow", "--to canary --weight 10", "plan ", "rollback", "--to new", "audit",
             "admin token", "/_strangler/api/cutover", "/_strangler/api/rollback")  # fmt: skip
    for step in steps:
        assert step in text, step


def test_the_runbook_s_commands_run_in_order_as_shown(demo_front: dict[str, str]) -> None:
    env = {**os.environ, **demo_front}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    outputs = []
    for command, expected in runbook_commands():
        result = subprocess.run(
            command, shell=True, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
            timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == expected, f"{command}\n{result.stdout}\n{result.stderr}"
        outputs.append(result.stdout)
    everything = "\n".join(outputs)

    # the API answered (no 401/403 bodies) and the changes landed in the audit log
    assert '"detail"' not in everything
    assert "200" in everything  # the migrated OpenAPI through the front
    assert "runbook-operator@admin-api" in everything
    assert "week 3: migrated" in everything
