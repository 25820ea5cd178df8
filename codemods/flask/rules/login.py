"""flask-login in views: `@login_required` -> a route dependency answering like flask-login
(302 to the login view with `next=`, or 401 for blueprints without one); `current_user` -> a
`user` parameter. Both come from a generated `login_bridge.py` that reads the legacy app's signed
session cookie and loads the user with the legacy `@login_manager.user_loader` (converted to take
the SQLAlchemy session; the legacy function is moved there). Without a loader the codemod can
convert, the routes use a placeholder and are `manual`."""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext, add_import, remove_import
from codemods.engine.edit import add_keyword_params, kwarg
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.analysis import add_login_bridge, analysis_of
from codemods.flask.facts import LoginFacts, RouteFacts
from codemods.flask.login_module import MODULE, Bridge
from codemods.flask.tables.responses import RUNTIME

LOGIN_REQUIRED = ("login_required", "flask_login.login_required")
WRITES_SESSION = {
    "login_user": "login: login_user -> login_manager.login_user(request, response, user) in "
    f"{MODULE}.py writes the session and remember cookies: port the view by hand",
    "logout_user": "login: logout_user -> login_manager.logout_user(request, response) in "
    f"{MODULE}.py clears the session and remember cookies: port the view by hand",
}


def is_user_loader(node: cst.FunctionDef) -> bool:
    return any(
        (dotted_name(d.decorator) or "").split(".")[-1] == "user_loader" for d in node.decorators
    )


class LoginRule(Rule):
    name = "login"
    requires = ("routes",)
    DESCRIPTION = "flask-login's login_required and current_user in views -> dependencies."
    triggers = ("flask_login", "user_loader")
    gated = (cst.SimpleStatementLine, cst.ClassDef, cst.ImportFrom, cst.Name, cst.Call)
    gate_names = ("current_user", *WRITES_SESSION)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self._bridge: Bridge | None = None
        self.moved_loader: str | None = None
        self.writing: set[str] = set()  # handlers that log a user in or out
        self.uses_user: set[str] = set()  # handlers reading `current_user`

    @property
    def bridge(self) -> Bridge:
        if self._bridge is None:
            self._bridge = analysis_of(self.state).bridge
        return self._bridge

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.name.value in self.handlers or any(
            isinstance(s, cst.FunctionDef) for s in getattr(node.body, "body", [])
        )

    def login_view(self, function: str) -> str | None:
        views = analysis_of(self.state).login_views
        names = self.read(RouteFacts).blueprint_names
        blueprint = names.get(self.handlers.get(function, ""), "")
        if blueprint in views:
            return views[blueprint]
        return views.get("")

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if original_node.value == "current_user" and self.current_function in self.handlers:
            self.uses_user.add(self.current_function)
            return updated_node.with_changes(value="user")
        if (
            original_node.value in WRITES_SESSION
            and self.current_function in self.handlers
            and self.bridge.code is None
        ):
            self.findings.note(
                self.current_function, WRITES_SESSION[original_node.value], Status.manual
            )
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """`login_user(user, ...)` -> `login_user(request, user, ...)` from the bridge, which
        records the login on the request for the route class to write in the cookies."""
        callee = dotted_name(original_node.func) or ""
        name = callee.removeprefix("flask_login.")
        handler = self.current_function
        if name not in WRITES_SESSION or handler not in self.handlers or self.bridge.code is None:
            return updated_node
        self.writing.add(handler)
        add_import(self.context, self.source(), name)
        return updated_node.with_changes(
            func=cst.Name(name), args=[cst.Arg(cst.Name("request")), *updated_node.args]
        )

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        """flask-login's `login_user`/`logout_user` come from the bridge now."""
        if (
            self.bridge.code is None
            or original_node.module is None
            or dotted_name(original_node.module) != "flask_login"
            or isinstance(updated_node.names, cst.ImportStar)
        ):
            return updated_node
        kept = [a for a in updated_node.names if dotted_name(a.name) not in WRITES_SESSION]
        if len(kept) == len(updated_node.names):
            return updated_node
        if not kept:
            return cst.RemoveFromParent()
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(names=kept)

    def source(self) -> str:
        """Where `require_login`/`request_user` come from: the generated bridge, or the
        runtime's placeholder when there is none."""
        if not add_login_bridge(self.state):
            return RUNTIME
        return self.state.to_root + MODULE

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        name = original_node.name.value
        if is_user_loader(original_node) and not self._functions[:-1]:
            if self.bridge.code is not None:
                self.moved_loader = name
            return updated_node
        if name not in self.handlers:
            return updated_node
        if name in self.writing:
            add_import(self.context, "fastapi", "Request")
            updated_node = add_keyword_params(updated_node, [("request", "Request", None)])
        guarded = any(dotted_name(d.decorator) in LOGIN_REQUIRED for d in updated_node.decorators)
        uses_user = name in self.uses_user
        if not guarded and not uses_user:
            return updated_node
        view = self.login_view(name)
        dependency = f'require_login("{view}")' if view else "require_login()"
        source = self.source()
        add_import(self.context, "fastapi", "Depends")
        remove_import(self.context, "flask_login", "login_required")
        remove_import(self.context, "flask_login", "current_user")
        for reason in self.bridge.reasons:
            self.findings.note(
                name, reason, Status.manual if self.bridge.manual else Status.partial
            )
        if guarded:
            add_import(self.context, source, "login_required", "require_login")
        router = self.handlers[name]
        decorators = []
        for decorator in updated_node.decorators:
            if dotted_name(decorator.decorator) in LOGIN_REQUIRED:
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
                add_import(self.context, source, "current_user", "request_user")
                dependency = "request_user"
            add_import(self.context, "typing", "Annotated")
            add_import(self.context, "typing", "Any")
            result = add_keyword_params(
                result, [("user", f"Annotated[Any, Depends({dependency})]", None)]
            )
        return result

    def visit_Module(self, node: cst.Module) -> bool:
        self.own(LoginFacts).source = self.source()
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        """The legacy user loader moved to the bridge: a comment where it was."""
        if self.moved_loader is None:
            return updated_node
        note = cst.EmptyLine(
            comment=cst.Comment(
                f"# {self.moved_loader}, flask-login's user loader, is in {MODULE}.py now"
            )
        )
        body: list[cst.BaseStatement] = []
        pending: list[cst.EmptyLine] = []
        for statement in updated_node.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == (
                self.moved_loader
            ):
                pending = [*statement.leading_lines, note]
                continue
            if pending:
                statement = statement.with_changes(
                    leading_lines=[*pending, cst.EmptyLine(), *statement.leading_lines]
                )
                pending = []
            body.append(statement)
        footer = [*updated_node.footer, *pending]
        return updated_node.with_changes(body=body, footer=footer)
