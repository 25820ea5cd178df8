"""Reading a codemod report against an app's own routes: which rules it covers, and the figures.

Flask: a report entry names its view by `file:line` in the converted tree; a url_map rule names its
view by module and name (the probe unwraps decorators and reads `view_class` of class-based
views). An entry covers a rule when the function or class at its line, or a class around it,
is the rule's view; a `<lambda>` view is covered by an entry at its line.

Django: a report entry is one URL pattern (`source` is its line in the URLconf), with the route
the codemod read (`django_route`, include prefixes applied) and its `name`. The resolver's
pattern is covered by the entry of the same route and name (see `uncovered_patterns`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemods.engine.route_coverage import names_around, parsed_tree


@dataclass(frozen=True)
class Rule:
    rule: str
    endpoint: str
    methods: tuple[str, ...]
    module: str | None
    name: str | None
    line: int | None = None  # the first line of a function view (a `<lambda>` has no name)

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Rule:
        return cls(
            raw["rule"],
            raw["endpoint"] or "",
            tuple(raw["methods"]),
            raw["module"],
            raw["name"],
            raw.get("line"),
        )

    def at(self, place: Located) -> bool:
        """Whether a report entry at `place` names this rule's view (by line for a lambda)."""
        if place.module != self.module:
            return False
        if self.name == "<lambda>":
            return self.line is not None and place.line == self.line
        return self.name in place.names

    def owned_by(self, package: str) -> bool:
        module = self.module or ""
        return module == package or module.startswith(package + ".")


def module_of(relative: str) -> str:
    parts = Path(relative).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@dataclass(frozen=True)
class Located:
    module: str
    names: frozenset[str]
    line: int = 0


def locate(entry: dict[str, Any], root: Path) -> Located | None:
    """The module and view names of a route entry whose `source` is relative to `root`."""
    file, _, line = entry.get("source", "").rpartition(":")
    if not file or not line.isdigit():
        return None
    path = Path(file) if Path(file).is_absolute() else root / file
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return Located(module_of(relative), frozenset(names_around(path, int(line))), int(line))


def uncovered(rules: list[Rule], entries: list[dict[str, Any]], root: Path) -> list[Rule]:
    """The rules no route entry of the report points at."""
    places = [
        located
        for entry in entries
        if entry.get("kind") == "route"
        if (located := locate(entry, root)) is not None
    ]
    return [rule for rule in rules if not any(rule.at(place) for place in places)]


def pattern_key(route: str, name: str | None) -> tuple[str, str | None]:
    """A URL pattern as both sides spell it: the route without the `^` anchors (the codemod
    writes each regex part as `^part`, the resolver joins the parts as written), and the name
    without namespaces (a reusable app's namespace comes from the site that includes it)."""
    return route.replace("^", ""), (name or "").rpartition(":")[2] or None


def uncovered_patterns(rules: list[Rule], entries: list[dict[str, Any]]) -> list[Rule]:
    """The resolver's patterns (`rule` the full route, `endpoint` the name; the app mounted at
    the site's root) no route entry of a Django report is for."""
    reported = {
        pattern_key(entry.get("django_route", ""), entry.get("name"))
        for entry in entries
        if entry.get("kind") == "route"
    }
    return [rule for rule in rules if pattern_key(rule.rule, rule.endpoint) not in reported]


ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete", "expose"}


def _called_name(node: ast.expr) -> str | None:
    """`view` of `view`, `module.view` or `View.as_view("name")`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "as_view"
    ):
        return _called_name(node.func.value)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def registrations(root: Path, package: str) -> list[Rule]:
    """The routes a Flask package declares in its text, for an app that cannot be built: views
    under a route decorator (`@bp.route`, `@app.get`, Flask-Admin `@expose`), and the views
    named in `add_url_rule` and Flask-RESTful `add_resource` calls, as rules without a path.
    A view named in a call is looked for by name in the whole package."""
    defined: dict[str, str] = {}
    found: list[Rule] = []
    named: list[str] = []
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        tree = parsed_tree(path)
        if tree is None:
            continue
        module = module_of(path.relative_to(root).as_posix())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.setdefault(node.name, module)
                for decorator in getattr(node, "decorator_list", []):
                    call = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if _called_name(call) in ROUTE_DECORATORS:
                        found.append(Rule("", node.name, (), module, node.name))
                        break
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "add_url_rule":
                    views = [k.value for k in node.keywords if k.arg == "view_func"]
                    views += node.args[2:3]
                elif node.func.attr == "add_resource":
                    views = node.args[:1]
                else:
                    continue
                named += [name for view in views if (name := _called_name(view))]
    found += [Rule("", name, (), defined[name], name) for name in named if name in defined]
    return list({(rule.module, rule.name): rule for rule in found}.values())


@dataclass
class Figures:
    """One app's line of the corpus summary."""

    app: str
    url_map: int | None  # the app's own rules; None when the app does not build
    reported: int  # of those (or of its registrations), the ones the report covers
    routes: int  # route entries in the report (one per view and method)
    converted: int
    verified: int | None  # converted and verified; None when the report has no `verified`
    partial: int
    manual: int
    unverified: int = 0  # converted but not callable by the verification (when it reports so)
    note: str = ""
    framework: str = "flask"  # the summary has a table and a total per framework

    @classmethod
    def of(
        cls, app: str, rules: list[Rule], missing: int, entries: list[dict[str, Any]]
    ) -> Figures:
        routes = [e for e in entries if e.get("kind") == "route"]
        converted = [e for e in routes if e.get("status") == "converted"]
        has_verified = any("verified" in e for e in entries)
        return cls(
            app=app,
            url_map=len(rules),
            reported=len(rules) - missing,
            routes=len(routes),
            converted=len(converted),
            verified=sum(1 for e in converted if e.get("verified") is True)
            if has_verified
            else None,
            partial=sum(1 for e in routes if e.get("status") == "partial"),
            manual=sum(1 for e in routes if e.get("status") == "manual"),
            unverified=sum(1 for e in routes if e.get("status") == "unverified"),
        )

    @property
    def percent_converted(self) -> float:
        good = self.verified if self.verified is not None else self.converted
        return 100.0 * good / self.routes if self.routes else 0.0
