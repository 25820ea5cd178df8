"""Run a registry of rules over a source tree and plan what to write under DEST.

The legacy tree is only read. Each module is parsed once and passed through the rules in order;
a module that does not parse, or a rule that fails on it, is reported and never stops the run.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from codemods.engine import header
from codemods.engine.context import ModuleContext
from codemods.engine.findings import Finding, FindingLog, Status, definition_line
from codemods.engine.formatting import format_sources
from codemods.engine.imports import apply_imports
from codemods.engine.parsed import parse_legacy, shared_for_run
from codemods.engine.rule import Rule
from codemods.engine.state import STATE_KEY, ModuleState, state_of

if TYPE_CHECKING:
    from codemods.engine.framework import Framework
    from codemods.engine.route_coverage import RouteCoverage


@dataclass
class Target:
    """What to convert: a package folder, one module, or one view of a module."""

    root: Path  # the folder module paths are relative to
    files: list[Path]
    view: str | None = None


class BadTarget(ValueError):
    pass


def resolve_target(spec: str) -> Target:
    path_text, _, view = spec.partition("::")
    path = Path(path_text)
    if not path.exists():
        raise BadTarget(f"{path_text} does not exist")
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*.py")
            if not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if view:
            raise BadTarget("::function needs a module, not a folder")
        return Target(root=path, files=files)
    if path.suffix != ".py":
        raise BadTarget(f"{path_text} is not a Python module")
    if view and f"def {view}" not in path.read_text(encoding="utf-8", errors="replace"):
        raise BadTarget(f"{path_text} has no function {view}")
    return Target(root=path.parent, files=[path], view=view or None)


def dotted_package(folder: Path) -> str | None:
    """`a.b` for a folder `a/b` under the current directory, when every part is an identifier."""
    try:
        relative = folder.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return None
    parts = relative.parts
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


def source_package(folder: Path) -> str | None:
    """The legacy package's import name: dotted from the current directory, else the folder's
    own name when it is a package (imported with its parent folder on the path)."""
    found = dotted_package(folder)
    if found is None and folder.name.isidentifier() and (folder / "__init__.py").is_file():
        return folder.name
    return found


@dataclass
class Planned:
    source: Path | None
    target: Path
    code: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class FileResult:
    source: str
    target: str
    action: str  # written | unchanged | would write | kept (edited) | skipped
    reason: str = ""


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    verification_seconds: float | None = None  # None: not verified (--no-verify, --dry-run)
    # CPU seconds of the child a warm verification server forked for the run (the process's
    # own resource usage cannot see it); None when it was not measured.
    verification_child_cpu: float | None = None
    # The report checked against the legacy app's own routes (None: the app was not loaded).
    route_coverage: RouteCoverage | None = None

    def count(self, status: Status, kind: str | None = None) -> int:
        return sum(
            1 for f in self.findings if f.status == status and (kind is None or f.kind == kind)
        )


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def transform_source(
    source: str,
    rules: Sequence[type[Rule]],
    filename: str = "module.py",
    state: ModuleState | None = None,
) -> tuple[str, ModuleContext]:
    """Parse once, run every relevant rule, return the new code and the context (findings, and
    the module's state: `state_of(context)`)."""
    context = ModuleContext(filename=filename)
    context.scratch[STATE_KEY] = state = state or ModuleState()
    log = FindingLog.of(context)
    tree = original = parse_legacy(source, state.analysis, converting=True)
    if state.legacy is None:
        state.legacy, state.legacy_source = original, source
    for rule_type in rules:
        if not rule_type.triggered(source, state):
            continue
        if rule_type.needs_handlers and not state.handlers:
            continue
        try:
            # Rules need no metadata: visit the tree directly (no defensive deep copy), and
            # apply the imports they asked for once, at the end.
            tree = rule_type(context).transform_module_impl(tree)
        except Exception as error:
            log.module_notes.append(f"rule {rule_type.name} failed: {type(error).__name__}")
    try:
        tree, code = apply_imports(tree, context, original, source)
    except Exception as error:
        log.module_notes.append(f"import update failed: {type(error).__name__}")
        code = tree.code
    return code, context


def is_test_module(relative: Path) -> bool:
    """The legacy app's own tests are not application code: they are not converted."""
    name = relative.name
    return (
        "tests" in relative.parts[:-1]
        or name in ("conftest.py", "tests.py")  # tests.py: Django's startapp puts tests there
        or name.startswith("test_")
        or name.endswith("_test.py")
    )


def only_view(code: str, context: ModuleContext, view: str) -> str:
    """Keep one legacy view: the handlers made from other views are left out."""
    log = FindingLog.of(context)
    handlers = state_of(context).handlers
    keep = {f.target_symbol for f in log.entries if f.symbol == view}
    drop = set(handlers) - keep
    log.entries = [f for f in log.entries if f.kind != "route" or f.symbol == view]
    tree = cst.parse_module(code)
    body = [s for s in tree.body if not (isinstance(s, cst.FunctionDef) and s.name.value in drop)]
    return tree.with_changes(body=body).code


def run(
    target: Target,
    dest: Path,
    rules: Sequence[type[Rule]],
    *,
    framework: Framework,
    dry_run: bool = False,
    force: bool = False,
    on_file: Callable[[Path], None] | None = None,
) -> RunResult:
    with shared_for_run():  # see parsed.py
        return _run(target, dest, rules, framework, dry_run, force, on_file)


def _run(
    target: Target,
    dest: Path,
    rules: Sequence[type[Rule]],
    framework: Framework,
    dry_run: bool,
    force: bool,
    on_file: Callable[[Path], None] | None,
) -> RunResult:
    result = RunResult()
    planned: list[Planned] = []
    package = source_package(target.root)
    try:
        analysis = framework.analyse(target)
    except Exception as error:  # the rules then run without it, and the report says why
        analysis = None
        reason = f"{framework.name} analysis failed: {type(error).__name__}: {error}"
        result.findings.append(_module_finding(display(target.root), reason, Status.partial))
    for path in target.files:
        relative = path.relative_to(target.root)
        label = display(path)
        if is_test_module(relative):
            result.files.append(FileResult(label, "", "skipped", "test module"))
            if on_file:
                on_file(path)
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            result.files.append(FileResult(label, "", "skipped", f"unreadable: {error}"))
            result.findings.append(_module_finding(label, f"unreadable: {error}"))
            continue
        try:
            code, context = transform_source(
                source,
                rules,
                filename=label,
                state=ModuleState(
                    module_path=relative.parts,
                    source_package=package,
                    only_view=target.view,
                    analysis=analysis,
                ),
            )
        except cst.ParserSyntaxError as error:
            reason = f"does not parse: line {error.raw_line}: {error.message}"
            result.files.append(FileResult(label, "", "skipped", reason))
            result.findings.append(_module_finding(label, reason))
            if on_file:
                on_file(path)
            continue
        log = FindingLog.of(context)
        if target.view:
            code = only_view(code, context, target.view)
        for finding in log.entries:
            line = finding.line or definition_line(source, finding.symbol)
            finding.source = f"{label}:{line or 1}"
        if log.module_notes:
            finding = _module_finding(label, "; ".join(log.module_notes), Status.partial)
            log.entries.append(finding)
        planned.append(Planned(path, dest / relative, code, log.entries))
        for extra_relative, extra_code in state_of(context).extra_files.items():
            if not any(p.target == dest / extra_relative for p in planned):
                planned.append(Planned(None, dest / extra_relative, extra_code))
        if on_file:
            on_file(path)
    first_party = list(framework.first_party)
    dest_package = dotted_package(dest)
    if dest_package:
        first_party.append(dest_package.split(".")[0])
    formatted = format_sources(
        {str(p.target.relative_to(dest)): p.code for p in planned}, first_party
    )
    for item in planned:
        item.code = formatted[str(item.target.relative_to(dest))]
        label = display(item.source) if item.source else "strangler"
        text = header.render(label, item.code)
        shown = display(item.target)
        for finding in item.findings:
            if finding.kind == "module":
                finding.target = shown
                continue
            line = definition_line(text, finding.target_symbol or finding.symbol)
            finding.target = f"{shown}:{line}" if line else ""
            if finding.line is not None and finding.status != Status.manual:
                finding.target = shown
        result.findings.extend(item.findings)
        result.files.append(
            _write(item, label, text, dry_run=dry_run, force=force, diffs=result.diffs)
        )
    return result


def _module_finding(label: str, reason: str, status: Status = Status.manual) -> Finding:
    finding = Finding(kind="module", symbol="", status=status, reasons=[reason])
    finding.source = f"{label}:1"
    return finding


def _write(
    item: Planned, label: str, text: str, *, dry_run: bool, force: bool, diffs: list[str]
) -> FileResult:
    target = display(item.target)
    old = item.target.read_text(encoding="utf-8") if item.target.exists() else None
    if old == text:
        return FileResult(label, target, "unchanged")
    if old is not None and not force:
        existing = header.inspect(old)
        if existing.edited:
            why = "edited since generated" if existing.generated else "not generated by strangler"
            return FileResult(label, target, "kept", f"{why}; --force overwrites")
    if dry_run:
        diffs.append(
            "".join(
                difflib.unified_diff(
                    (old or "").splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"a/{target}",
                    tofile=f"b/{target}",
                )
            )
        )
        return FileResult(label, target, "would write")
    item.target.parent.mkdir(parents=True, exist_ok=True)
    item.target.write_text(text, encoding="utf-8")
    return FileResult(label, target, "written")
