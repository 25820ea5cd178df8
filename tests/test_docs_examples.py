"""Every command example in the docs that is marked `<!-- doc-test -->` runs and exits as shown.

In a Markdown page:

    <!-- doc-test -->            (or <!-- doc-test exit=1 --> for a command expected to exit 1)
    ```console
    $ strangler routes --config strangler.toml
    ```

Each `$ ` line of the block runs in a shell from the repository root with the virtualenv first on
PATH. Commands that serve forever (`make demo`, `strangler serve`) are not marked. The commands
of one page run on one test worker, in the page's order: a block may build on the line before it
(a cutover, then the status that shows it, on one scratch store).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.servers import REPO_ROOT

MARKED_BLOCK = re.compile(
    r"<!--\s*doc-test(?P<options>[^>]*)-->[ \t]*\n[ \t]*```(?:console|shell|bash)\n"
    r"(?P<body>.*?)\n[ \t]*```",
    re.DOTALL,
)


@dataclass(frozen=True)
class DocCommand:
    page: str
    line: int
    command: str
    expected_exit: int

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.command}"


def marked_commands() -> list[DocCommand]:
    pages = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    commands = []
    for page in pages:
        if not page.exists():
            continue
        text = page.read_text()
        for block in MARKED_BLOCK.finditer(text):
            exit_option = re.search(r"exit=(\d+)", block["options"])
            expected_exit = int(exit_option[1]) if exit_option else 0
            first_line = text.count("\n", 0, block.start("body")) + 1
            for offset, line in enumerate(block["body"].splitlines()):
                line = line.strip()
                if line.startswith("$ "):
                    commands.append(
                        DocCommand(
                            str(page.relative_to(REPO_ROOT)),
                            first_line + offset,
                            line[2:],
                            expected_exit,
                        )
                    )
    return commands


def in_page_order(commands: list[DocCommand]) -> list[object]:
    return [
        pytest.param(command, marks=pytest.mark.xdist_group(f"doc-page:{command.page}"))
        for command in commands
    ]


@pytest.mark.parametrize("doc_command", in_page_order(marked_commands()), ids=str)
def test_documented_command_runs_as_shown(doc_command: DocCommand) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        doc_command.command,
        shell=True,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == doc_command.expected_exit, (
        f"{doc_command}\nexit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
