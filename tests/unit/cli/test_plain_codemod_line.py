"""A plain `strangler codemod flask|django` command line runs without typer, as typer runs it."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from proxy.cli import app
from proxy.cli import codemod as codemod_commands
from proxy.cli.codemod_argv import COMMON_OPTIONS, FLAGS, OWN_OPTIONS, plain_call
from proxy.cli.codemod_run import convert_django, convert_flask

PLAIN = [
    ["codemod", "flask", "src", "--out", "out"],
    ["codemod", "flask", "--out=out", "src", "--no-verify", "--report", "r.json"],
    ["codemod", "flask", "src", "--out", "o", "--only", "a,b", "--dry-run", "--force"],
    ["codemod", "flask", "src", "--out", "o", "--app", "pkg:make()", "--new-app=new:app"],
    ["codemod", "django", "site", "--out", "o", "--settings", "site.settings", "--no-verify"],
    ["codemod", "django", "site", "--only=urls", "--out", "o", "--report=r.json"],
]
MINI_SHOP = Path(__file__).parents[2] / "codemods" / "cases" / "mini_shop"
DJANGO_BLOG = Path(__file__).parents[3] / "legacy_examples" / "django_blog"
NOT_PLAIN = [
    ["codemod", "flask", "--help"],
    ["codemod", "flask", "src"],  # no --out: typer says so
    ["codemod", "flask", "src", "--out"],
    ["codemod", "flask", "src", "--out", "o", "--out", "p"],
    ["codemod", "flask", "src", "other", "--out", "o"],
    ["codemod", "flask", "src", "--out", "o", "--settings", "s"],
    ["codemod", "django", "src", "--out", "o", "--app", "a:b"],
    ["codemod", "flask", "src", "--out", "o", "--no-verify=1"],
    ["codemod", "flask", "src", "--out", "-o"],
    ["codemod", "flask", "src", "--out", "o", "--"],
    ["codemod", "--help"],
    ["--version"],
    ["routes"],
]


def typer_call(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, tuple[Any, ...]]:
    """What the typer command passes to the commands' body for `argv`."""
    calls: list[tuple[str, tuple[Any, ...]]] = []
    for name in ("convert_flask", "convert_django"):
        monkeypatch.setattr(codemod_commands, name, lambda *a, name=name: calls.append((name, a)))
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    return calls[0]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_a_plain_command_line_calls_the_body_as_typer_does(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    call = plain_call(argv)
    assert call is not None
    name, arguments = typer_call(argv, monkeypatch)
    function = {"convert_flask": convert_flask, "convert_django": convert_django}[name]
    assert call.func is function  # type: ignore[attr-defined]
    bound = inspect.signature(function).bind(*arguments)
    bound.apply_defaults()
    plain = inspect.signature(function).bind(*call.args, **call.keywords)  # type: ignore[attr-defined]
    plain.apply_defaults()
    assert plain.arguments == bound.arguments


@pytest.mark.parametrize("argv", NOT_PLAIN, ids=" ".join)
def test_any_other_command_line_is_left_to_typer(argv: list[str]) -> None:
    assert plain_call(argv) is None


@pytest.mark.parametrize("framework", ["flask", "django"])
def test_the_plain_options_are_the_typer_commands_options(framework: str) -> None:
    command = typer.main.get_command(app).commands["codemod"].commands[framework]  # type: ignore[attr-defined]
    body = {"flask": convert_flask, "django": convert_django}[framework]
    defaults = {n: p.default for n, p in inspect.signature(body).parameters.items()}
    typer_options: dict[str, str | None] = {}
    for parameter in command.params:
        if parameter.param_type_name == "option":
            for option in parameter.opts:
                typer_options[option] = parameter.name
            if not parameter.required:
                assert parameter.default == defaults[parameter.name], parameter.name
            assert parameter.is_flag == (parameter.name in FLAGS)
    assert {**COMMON_OPTIONS, **OWN_OPTIONS[framework]} == typer_options


# Imports a plain codemod command line does without (typer and the pydantic it builds on;
# libcst.codemod, which brings libcst.matchers; jinja2 where no view renders a template).
UNNEEDED = ["typer", "pydantic", "libcst.codemod", "libcst.matchers", "jinja2"]


@pytest.mark.parametrize(
    ("framework", "source"),
    [("flask", MINI_SHOP), ("django", DJANGO_BLOG)],
)
def test_the_plain_command_line_imports_only_what_the_conversion_needs(
    framework: str, source: Path, tmp_path: Path
) -> None:
    code = (
        "import sys\nfrom proxy.cli import main\ntry:\n    main()\nfinally:\n"
        f"    print(sorted(set({UNNEEDED!r}) & set(sys.modules)))"
    )
    argv = ["codemod", framework, str(source), "--out", str(tmp_path / "out"), "--no-verify"]
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert any((tmp_path / "out").rglob("*.py"))
