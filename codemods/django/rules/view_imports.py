"""A URLconf's absolute imports of SRC's view modules -> imports of their generated twins.

    from todo import views                          # todo/urls.py
->  from . import views
    from todo.views.search import search            # todo/views/__init__.py, re-exporting it
->  from .search import search
    import spirit.topic.views                       # spirit/urls.py, then spirit.topic.views.index
->  from .topic import views as spirit_topic_views      then spirit_topic_views.index

A URLconf importing its views through the package's absolute name would otherwise register
the legacy functions, not the generated endpoints. Rewritten only in the URLconfs and in the
modules a view is imported through (`DjangoAnalysis.reexports`), and only for the modules that
define a function view a URLconf serves or re-export one: every other module keeps importing
the legacy code (calling a generated endpoint as a function would get a Starlette response).
"""

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath, dotted
from codemods.django.plans import view_types
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule


def view_modules(analysis: DjangoAnalysis) -> set[ModulePath]:
    """The modules defining a function view a URLconf serves, and those re-exporting one."""
    found = set(analysis.reexports)
    for pattern in analysis.patterns:
        module = pattern.view.module
        if (
            pattern.view.kind == "function"
            and module is not None
            and isinstance(view_types(analysis, module, pattern.view.name), dict)
        ):
            found.add(module)
    return found


def relative_to(here: ModulePath, target: list[str]) -> tuple[int, str | None]:
    """(level, module) of a relative import, from the module at `here`, of the module whose
    dotted parts under SRC are `target`."""
    package = list(here[:-1])
    common = 0
    while common < min(len(package), len(target)) and package[common] == target[common]:
        common += 1
    rest = ".".join(target[common:])
    return len(package) - common + 1, rest or None


class _Renamed(cst.CSTTransformer):
    """`spirit.topic.views.index` -> `spirit_topic_views.index` (outside import statements)."""

    def __init__(self, renamed: dict[str, str]) -> None:
        self.renamed = renamed

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        name = dotted_name(original_node)
        if name in self.renamed:
            return cst.Name(self.renamed[name])
        return updated_node


class ViewImportsRule(Rule):
    name = "django-view-imports"
    DESCRIPTION = "A URLconf's absolute imports of SRC's view modules -> the generated twins."
    requires = ("function-views",)
    triggers = ("import",)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        package = self.state.source_package
        module = self.state.module_path
        if not isinstance(analysis, DjangoAnalysis) or package is None:
            return tree
        urlconfs = {p.urlconf for p in analysis.patterns}
        if module not in urlconfs and module not in analysis.reexports:
            return tree
        targets = {dotted(m) for m in view_modules(analysis)}
        body: list[cst.BaseStatement] = []
        renamed: dict[str, str] = {}  # `spirit.topic.views` -> `spirit_topic_views`
        for statement in tree.body:
            if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
                node = statement.body[0]
                if isinstance(node, cst.ImportFrom):
                    changed = self._relative(node, package, targets)
                    statement = statement.with_changes(body=[changed])
                elif isinstance(node, cst.Import):
                    body.append(statement)
                    for name in self._dotted_views(node, package, targets):
                        renamed[name] = name.replace(".", "_")
                        body.append(self._twin_import(name, package))
                    continue
            body.append(statement)
        changed_tree = tree.with_changes(body=body)
        return changed_tree.visit(_Renamed(renamed)) if renamed else changed_tree

    def _dotted_views(self, node: cst.Import, package: str, targets: set[str]) -> list[str]:
        """The names of `import pkg.views` (no alias) that are view modules of SRC."""
        found = []
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            inner = name[len(package) + 1 :] if name.startswith(package + ".") else None
            if alias.asname is None and inner is not None and inner in targets:
                found.append(name)
        return found

    def _twin_import(self, name: str, package: str) -> cst.SimpleStatementLine:
        """`from .topic import views as spirit_topic_views` for `spirit.topic.views`."""
        parts = name[len(package) + 1 :].split(".")
        level, rest = relative_to(self.state.module_path, parts[:-1])
        statement = cst.parse_statement(
            f"from {'.' * level}{rest or ''} import {parts[-1]} as {name.replace('.', '_')}"
        )
        assert isinstance(statement, cst.SimpleStatementLine)
        return statement

    def _relative(self, node: cst.ImportFrom, package: str, targets: set[str]) -> cst.ImportFrom:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return node
        name = dotted_name(node.module) or ""
        if name != package and not name.startswith(package + "."):
            return node
        inner = name[len(package) + 1 :]
        imported = {a.name.value for a in node.names if isinstance(a.name, cst.Name)}
        submodules = {f"{inner}.{n}" if inner else n for n in imported}
        if inner not in targets and not submodules & targets:
            return node
        level, rest = relative_to(self.state.module_path, inner.split(".") if inner else [])
        return node.with_changes(
            relative=[cst.Dot() for _ in range(level)],
            module=cst.parse_expression(rest) if rest else None,
        )
