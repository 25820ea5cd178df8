"""flask-login in views: `@login_required` -> a route dependency answering like flask-login
(302 to the login view with `next=`, or 401 for blueprints without one); `current_user` -> a
`user` parameter. The user comes from a placeholder loader until the session bridge exists, so
these routes are `manual`."""

from __future__ import annotations

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from codemods.engine.edit import add_keyword_params, kwarg
from codemods.engine.findings import Status
from codemods.engine.rule import Rule, dotted_name
from codemods.flask.rules.routes import BLUEPRINT_KEY
from codemods.flask.tables.responses import RUNTIME

LOGIN_VIEWS_KEY = "strangler.login_views"  # {"": default endpoint, blueprint: endpoint or None}
PLACEHOLDER = "login: placeholder user loader until the session bridge (set_user_loader)"


class LoginRule(Rule):
    name = "login"
    DESCRIPTION = "flask-login's login_required and current_user in views -> dependencies."
    triggers = ("flask_login",)
    needs_handlers = True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.name.value in self.handlers or any(
            isinstance(s, cst.FunctionDef) for s in getattr(node.body, "body", [])
        )

    def login_view(self, function: str) -> str | None:
        views = self.context.scratch.get(LOGIN_VIEWS_KEY) or {}
        assert isinstance(views, dict)
        names = self.context.scratch.get(BLUEPRINT_KEY) or {}
        assert isinstance(names, dict)
        blueprint = names.get(self.handlers.get(function, ""), "")
        if blueprint in views:
            return views[blueprint]
        return views.get("")

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if original_node.value == "current_user" and self.current_function in self.handlers:
            self.context.scratch.setdefault("strangler.uses_user", set()).add(self.current_function)
            return updated_node.with_changes(value="user")
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        name = original_node.name.value
        if name not in self.handlers:
            return updated_node
        guarded = any(
            dotted_name(d.decorator) in ("login_required", "flask_login.login_required")
            for d in updated_node.decorators
        )
        uses_user = name in (self.context.scratch.get("strangler.uses_user") or set())
        if not guarded and not uses_user:
            return updated_node
        view = self.login_view(name)
        dependency = f'require_login("{view}")' if view else "require_login()"
        AddImportsVisitor.add_needed_import(self.context, "fastapi", "Depends")
        RemoveImportsVisitor.remove_unused_import(self.context, "flask_login", "login_required")
        RemoveImportsVisitor.remove_unused_import(self.context, "flask_login", "current_user")
        self.findings.note(name, PLACEHOLDER, Status.manual)
        if guarded:
            AddImportsVisitor.add_needed_import(
                self.context, RUNTIME, "login_required", "require_login"
            )
        router = self.handlers[name]
        decorators = []
        for decorator in updated_node.decorators:
            if dotted_name(decorator.decorator) in ("login_required", "flask_login.login_required"):
                continue
            call = decorator.decorator
            is_route = (
                isinstance(call, cst.Call)
                and (dotted_name(call.func) or "").split(".")[0] == router
            )
            if guarded and not uses_user and is_route and isinstance(call, cst.Call):
                extra = kwarg("dependencies", cst.parse_expression(f"[Depends({dependency})]"))
                decorator = decorator.with_changes(
                    decorator=call.with_changes(args=[*call.args, extra])
                )
            decorators.append(decorator)
        result = updated_node.with_changes(decorators=decorators)
        if uses_user:
            if not guarded:
                AddImportsVisitor.add_needed_import(
                    self.context, RUNTIME, "current_user", "request_user"
                )
                dependency = "request_user"
            AddImportsVisitor.add_needed_import(self.context, "typing", "Annotated")
            AddImportsVisitor.add_needed_import(self.context, "typing", "Any")
            result = add_keyword_params(
                result, [("user", f"Annotated[Any, Depends({dependency})]", None)]
            )
        return result
