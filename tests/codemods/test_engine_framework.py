"""The engine knows no framework: a toy one (an analysis and two rules, the second requiring
the first and reading its facts) registers and runs through the same runner as Flask."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import libcst as cst
import pytest

from codemods.engine.context import ModuleContext
from codemods.engine.framework import Framework
from codemods.engine.nodes import dotted_name, positional, string_value
from codemods.engine.registry import MisorderedRules, Registry
from codemods.engine.rule import Rule
from codemods.engine.runner import Target, resolve_target, run
from codemods.engine.state import Facts
from tests.codemods.support import REPO_ROOT


@dataclass
class ToyAnalysis:
    greeting: str


def analyse(target: Target) -> ToyAnalysis:
    """Read once for the whole tree, before any module is transformed."""
    return ToyAnalysis(greeting=(target.root / "greeting.txt").read_text().strip())


@dataclass
class PageFacts(Facts):
    owner: ClassVar[str] = "pages"
    paths: dict[str, str] = field(default_factory=dict)  # handler -> its path


class PagesRule(Rule):
    """`@page("/p")` -> `@router.get("/p")`, registering the handler."""

    name = "pages"
    triggers = ("@page(",)

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        call = updated_node.decorator
        if not isinstance(call, cst.Call) or dotted_name(call.func) != "page":
            return updated_node
        first = positional(call, 0)
        path = string_value(first.value) if first else None
        if path is None or self.current_function is None:
            return updated_node
        self.handlers[self.current_function] = "router"
        self.own(PageFacts).paths[self.current_function] = path
        self.findings.add("route", self.current_function)
        return updated_node.with_changes(
            decorator=call.with_changes(func=cst.parse_expression("router.get"))
        )


class BannerRule(Rule):
    """A module with handlers gets a `BANNER` constant holding the analysis' greeting, and the
    route table is written beside the package."""

    name = "banner"
    requires = ("pages",)
    needs_handlers = True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        greeting = analysis.greeting if isinstance(analysis, ToyAnalysis) else "(no analysis)"
        paths = self.read(PageFacts).paths
        table = "".join(f"{path} {handler}\n" for handler, path in sorted(paths.items()))
        self.state.extra_files["routes.txt"] = table
        banner = cst.parse_statement(f"BANNER = {greeting!r}\n")
        return updated_node.with_changes(body=[*updated_node.body, banner])


TOY = Framework("toy", Registry("toy", [PagesRule, BannerRule]), analyse=analyse)
LEGACY = """\
from toy import page


@page("/hello")
def hello():
    return "hi"


def helper():
    return 1
"""


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO_ROOT)
    source = tmp_path / "toyapp"
    source.mkdir()
    (source / "views.py").write_text(LEGACY)
    (source / "plain.py").write_text("VALUE = 1\n")
    (source / "greeting.txt").write_text("hello from the analysis\n")
    return source


def test_a_second_framework_runs_through_the_runner(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(resolve_target(str(legacy)), out, TOY.registry.rules, framework=TOY)
    views = (out / "views.py").read_text()
    assert '@router.get("/hello")\ndef hello():' in views
    assert 'BANNER = "hello from the analysis"' in views
    assert (out / "routes.txt").read_text().endswith("/hello hello\n")
    assert "BANNER" not in (out / "plain.py").read_text()  # no handler: the banner rule skips it
    assert [(f.kind, f.symbol) for f in result.findings] == [("route", "hello")]


def test_a_failing_analysis_is_reported_and_the_rules_still_run(
    legacy: Path, tmp_path: Path
) -> None:
    (legacy / "greeting.txt").unlink()
    out = tmp_path / "out"
    result = run(resolve_target(str(legacy)), out, TOY.registry.rules, framework=TOY)
    (failure,) = [f for f in result.findings if f.kind == "module"]
    assert failure.reasons[0].startswith("toy analysis failed: FileNotFoundError")
    assert '@router.get("/hello")' in (out / "views.py").read_text()


def test_selecting_a_rule_selects_what_it_requires() -> None:
    assert TOY.registry.select(["banner"]) == [PagesRule, BannerRule]


def test_a_registry_refuses_a_rule_before_its_requirement() -> None:
    with pytest.raises(MisorderedRules, match="banner requires pages, which must run before it"):
        Registry("toy", [BannerRule, PagesRule])


def test_only_the_owner_of_a_record_may_write_it() -> None:
    rule = BannerRule(ModuleContext())
    with pytest.raises(TypeError, match="PageFacts is written by rule 'pages'"):
        rule.own(PageFacts)
    assert rule.read(PageFacts).paths == {}
