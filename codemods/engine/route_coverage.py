"""The report checked against the legacy app's own routes: which of its rules no entry covers.

The verification's child lists the legacy app's rules (its `url_map` for Flask), each with its
view's module, name and first line. A route entry names its view by `file:line` in the legacy
tree; it covers a rule when the function or class at that line, or a class around it, is the
rule's view in the same module (a `<lambda>` view: an entry at its line). Rules whose view lives
outside the legacy package (a framework's `static`, an extension's own views) are not the app's.
Django's resolver patterns are matched pattern by pattern instead (`check_patterns`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from codemods.engine.ast_names import statements
from codemods.engine.findings import Finding


@dataclass(frozen=True)
class AppRule:
    rule: str
    endpoint: str
    module: str
    name: str
    line: int | None = None

    def label(self) -> str:
        return f"{self.rule} -> {self.module}.{self.name} (endpoint {self.endpoint})"


@dataclass(frozen=True)
class Place:
    module: str
    names: frozenset[str]
    line: int


@dataclass
class RouteCoverage:
    rules: list[AppRule] = field(default_factory=list)  # the app's own rules
    missing: list[AppRule] = field(default_factory=list)  # those no route entry covers
    error: str | None = None  # why the app's rules could not be read

    @property
    def reported(self) -> int:
        return len(self.rules) - len(self.missing)


def check_routes(
    url_map: dict[str, Any] | None, findings: list[Finding], legacy_root: Path, package: str
) -> RouteCoverage:
    """`url_map` as the verification's child read it (None: the child did not report it)."""
    if url_map is None:
        return RouteCoverage(error="the verification did not report them")
    if "rules" not in url_map:
        return RouteCoverage(error=str(url_map.get("error") or "no rules"))
    raws = [raw for raw in url_map["rules"] if isinstance(raw, dict)]
    if any("urlconf" in raw for raw in raws):
        return check_patterns(raws, findings, package)
    rules = [
        AppRule(raw["rule"], raw["endpoint"], raw["module"], raw["name"], raw.get("line"))
        for raw in raws
        if raw.get("module") and raw.get("name")
        if _owned(raw["module"], package)
    ]
    places = [
        place
        for finding in findings
        if finding.kind == "route"
        if (place := locate(finding.source, legacy_root, package)) is not None
    ]
    missing = [rule for rule in rules if not any(covers(place, rule) for place in places)]
    return RouteCoverage(rules, missing)


def check_patterns(
    raws: list[dict[str, Any]], findings: list[Finding], package: str
) -> RouteCoverage:
    """Django: the resolver's patterns written in the package's own URLconfs (a list of patterns
    they include, when its views are the package's), each covered by the
    route entry of the same pattern (a view may serve several): the same name, without its
    namespaces, and the same route without `^` anchors, or one the resolver's route ends with
    (an entry's route lacks the prefix of a site that includes the package's URLconf)."""
    rules = [
        AppRule(raw["rule"], raw.get("endpoint") or "", raw.get("module") or "",
                raw.get("name") or "", raw.get("line"))
        for raw in raws
        if _owned(str(raw.get("urlconf") or ""), package)
        # a list another package wrote (admin.site.urls), included by one of the package's
        if not raw.get("listed") or _owned(str(raw.get("module") or ""), package)
    ]  # fmt: skip
    reported = [
        _pattern_key(str(f.details.get("django_route") or ""), f.details.get("name"))
        for f in findings
        if f.kind == "route" and "django_route" in f.details
    ]
    missing = [
        rule
        for rule in rules
        if not any(_same_pattern(_pattern_key(rule.rule, rule.endpoint), r) for r in reported)
    ]
    return RouteCoverage(rules, missing)


def _pattern_key(route: str, name: object) -> tuple[str, str | None]:
    return route.replace("^", ""), str(name or "").rpartition(":")[2] or None


def _same_pattern(served: tuple[str, str | None], reported: tuple[str, str | None]) -> bool:
    return served[1] == reported[1] and served[0].endswith(reported[0])


def _owned(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def covers(place: Place, rule: AppRule) -> bool:
    if place.module != rule.module:
        return False
    if rule.name == "<lambda>":
        return rule.line is not None and rule.line == place.line
    return rule.name in place.names


def locate(source: str, legacy_root: Path, package: str) -> Place | None:
    """The module and the names defined around the line of an entry's `file:line`."""
    file, _, line = source.rpartition(":")
    if not file or not line.isdigit():
        return None
    try:
        relative = Path(file).resolve().relative_to(legacy_root.resolve())
    except ValueError:
        return None
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    module = ".".join([package, *parts])
    return Place(module, names_around(Path(file).resolve(), int(line)), int(line))


@cache
def parsed_tree(path: Path) -> ast.Module | None:
    """The module at `path`, parsed once; None when it cannot be read or parsed."""
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def names_around(path: Path, line: int) -> frozenset[str]:
    """The functions and classes whose definition (decorators included) spans `line`."""
    return frozenset(name for first, last, name in _definitions(path) if first <= line <= last)


@cache
def _definitions(path: Path) -> tuple[tuple[int, int, str], ...]:
    """(first line, last line, name) of each function and class of the module at `path`, read
    once (a module's routes ask one after another). Definitions are statements: the walk passes
    by the expressions."""
    tree = parsed_tree(path)
    if tree is None:
        return ()
    return tuple(
        (min([node.lineno, *(d.lineno for d in node.decorator_list)]),
         node.end_lineno or node.lineno, node.name)
        for node in statements(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    )  # fmt: skip
