"""Flask-WTF's `CSRFProtect` checks every unsafe request of the app, not only those of views
with a form: where the package sets it up, the handlers of unsafe methods of a module without
forms get `Depends(csrf_protect)` too (the form-views rule gives it to those with forms).
changedetection.io's POST views read `request.form` directly: they answered 400 without a token
on the legacy side and ran on the new one.

Flask-WTF's exemptions are kept: a view decorated `@csrf.exempt` (the decorator goes: it only
marks the view for Flask-WTF), and every view of a blueprint the package exempts
(`csrf.exempt(catalog.bp)` in the shop's factory).
"""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.engine.state import ModuleState
from codemods.flask.analysis import analysis_of
from codemods.flask.rules.form_views import CSRF_RUNTIME, with_csrf_dependency


class CsrfRule(Rule):
    name = "csrf"
    DESCRIPTION = "CSRFProtect's check on the unsafe handlers of modules without forms."
    needs_handlers = True
    requires = ("routes", "form-views")

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        return analysis_of(state).csrf_protected is True and any(
            method in source
            for method in (
                "POST",
                "PUT",
                "PATCH",
                "DELETE",
                ".post(",
                ".put(",
                ".patch(",
                ".delete(",
            )
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.name.value not in self.handlers and self.declares_handlers(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        name = original_node.name.value
        if name not in self.handlers or analysis_of(self.state).csrf_protected is not True:
            return updated_node
        kept = [d for d in updated_node.decorators if not _is_exempt(d)]
        if len(kept) != len(updated_node.decorators):
            return updated_node.with_changes(decorators=kept)  # `@csrf.exempt`
        router = self.handlers[name]
        if router in self.exempted_routers:
            return updated_node
        checked, changed = with_csrf_dependency(updated_node, router, self.todo)
        if changed:
            self.use("fastapi", "Depends")
            self.use(CSRF_RUNTIME, "csrf_protect")
        return checked

    @cached_property
    def exempted_routers(self) -> set[str]:
        """The module's routers the package exempts: `csrf.exempt(bp)` in this module, or
        `csrf.exempt(catalog.bp)` naming this module (`catalog.py`) anywhere."""
        here = self.state.module_path
        stem = here[-2] if here[-1:] == ("__init__.py",) and len(here) > 1 else ""
        stem = stem or (here[-1].removesuffix(".py") if here else "")
        found = set()
        for module, expression in analysis_of(self.state).csrf_exempted:
            owner, _, name = expression.rpartition(".")
            if (not owner and module == here) or (owner and owner.split(".")[-1] == stem):
                found.add(name)
        return found


def _is_exempt(decorator: cst.Decorator) -> bool:
    name = dotted_name(decorator.decorator) or ""
    return name.endswith(".exempt") and "." in name
