"""`Flask(__name__)` -> `FastAPI()`, `Blueprint(name, __name__, url_prefix=)` ->
`APIRouter(prefix=, route_class=FlaskRoute)`, `app.register_blueprint(bp)` ->
`register_blueprint(app, bp)` (`include_router` plus the blueprint's app-wide hooks, same
order). A blueprint's own hooks (`before_app_request`, `before_request`,
`app_context_processor`, `context_processor`) -> the runtime's (codemods/runtime/
blueprint_hooks.py). Application set-up FastAPI has no twin for (config, extensions, other
hooks, error handlers) is commented out with a TODO."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import libcst as cst

from codemods.engine.comments import todo_line, with_commented_out
from codemods.engine.context import ModuleContext, add_import
from codemods.engine.edit import expr, kwarg, without_imported_names
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, keyword, string_value
from codemods.engine.rule import Rule
from codemods.engine.walk import walk
from codemods.flask.analysis import analysis_of
from codemods.flask.database_module import add_database_module, session_module
from codemods.flask.facts import AppFactoryFacts, ContextBinding, ResponseFacts
from codemods.flask.tables.responses import CONTEXT, RUNTIME

BLUEPRINT_RUNTIME = "codemods.runtime.flask.blueprint_hooks"
# A blueprint's hooks with a runtime twin: decorator -> the runtime's decorator.
BLUEPRINT_HOOKS = {
    "before_app_request": "before_app_request",
    "before_request": "before_blueprint_request",
    "app_context_processor": "app_context_processor",
    "context_processor": "blueprint_context_processor",
}
# ... and those taking an argument: `@bp.errorhandler(X)` -> `@blueprint_errorhandler(bp, X)`.
BLUEPRINT_ERROR_HOOKS = {
    "errorhandler": "blueprint_errorhandler",
    "app_errorhandler": "app_errorhandler",
}
# The app's template filters, globals and tests a blueprint registers: `@bp.app_template_filter`
# (bare, `()` or `("name")`) -> `@app_template_filter(bp, ...)`, `bp.add_app_template_filter(f,
# "name")` -> `add_app_template_filter(bp, f, "name")`.
APP_TEMPLATE_HOOKS = frozenset({"app_template_filter", "app_template_global", "app_template_test"})
APP_TEMPLATE_CALLS = frozenset(
    {"add_app_template_filter", "add_app_template_global", "add_app_template_test"}
)

BLUEPRINT_OPTIONS_DROPPED = {"template_folder", "static_folder", "static_url_path"}
# Flask extensions configured in an app factory (`csrf.exempt(bp)`, `login_manager.x = ...`).
EXTENSION_MARKERS = (".exempt(", "login_manager.", ".init_app(")
# What the app-factory rule made of the app's set-up: runtime calls, kept.
PORTED_SETUP = (
    "serve_static(",
    "routing_errors_like_flask(",
    "endpoint_alias(",
    "teardown_request(",
    "teardown_appcontext(",
    "command_line(",
    "jinja_env(",
    "add_template_",
    "with app_context(",  # the app-context rule's
    "push_app_context(",
    "Babel(",  # the babel rule's (also `babel = Babel(app)`)
    "init_babel(",
    "init_principal(",  # the principal rule's
)
HOOKS = {
    "before_request": "before_request: make it a router dependency (dependencies=[Depends(...)])",
    "after_request": "after_request: make it a middleware",
    "teardown_request": "teardown_request: make it a dependency with yield",
    "teardown_appcontext": "teardown_appcontext: make it a dependency with yield",
    "errorhandler": "errorhandler: register it with app.exception_handler",
    "context_processor": "context_processor: pass the values to TemplateResponse",
    "before_app_request": "before_app_request: make it an app dependency or middleware",
    "after_app_request": "after_app_request: make it a middleware",
    "teardown_app_request": "teardown_app_request: make it a dependency with yield",
    "app_errorhandler": "app_errorhandler: register it with app.exception_handler",
    "app_context_processor": "app_context_processor: pass the values to TemplateResponse",
    "url_value_preprocessor": "url_value_preprocessor: make it a dependency",
    "url_defaults": "url_defaults: no FastAPI twin",
    "route": "",
}


class BlueprintsRule(Rule):
    name = "blueprints"
    DESCRIPTION = "Flask apps and blueprints -> FastAPI apps and APIRouters."
    triggers = ("Flask", "Blueprint")
    uses = (
        "app-factory",
        "flask-context",
        "responses",
    )

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.apps: set[str] = set()
        self.blueprints: set[str] = set()
        self.marked: dict[int, str] = {}
        self.converted = False
        self.own_modules: set[str] = set()  # `from . import db`: the package's own modules
        # functions building a blueprint (`def construct_blueprint(store): bp = Blueprint(...)`)
        self.factories: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        class Apps(cst.CSTVisitor):
            def __init__(self) -> None:
                self.names: set[str] = set()
                self.blueprints: set[str] = set()
                self.factories: set[str] = set()
                self.functions: list[str] = []

            def visit_FunctionDef(self, n: cst.FunctionDef) -> None:
                self.functions.append(n.name.value)

            def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
                self.functions.pop()

            def visit_Assign(self, n: cst.Assign) -> None:
                callee = dotted_name(n.value.func) if isinstance(n.value, cst.Call) else None
                if callee in ("Flask", "flask.Flask"):
                    found = self.names
                elif callee in ("Blueprint", "flask.Blueprint"):
                    found = self.blueprints
                    self.factories.update(self.functions)
                else:
                    return
                for target in n.targets:
                    name = dotted_name(target.target)
                    if name:
                        found.add(name)

        finder = Apps()
        self.walk(node, finder)
        self.apps = finder.names
        self.blueprints = finder.blueprints
        self.factories = finder.factories
        self.own_modules = own_modules(node, self.context.filename)

    # Pruning: views were converted by the routes rule; classes hold no app set-up.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        # Without a Flask() app in the module only module-level code can hold blueprints;
        # any function (a view too) may read a blueprint's folder.
        if (
            self.apps or node.name.value in self.factories
        ) and node.name.value not in self.handlers:
            return True
        return self.reads_root_path(node)

    def reads_root_path(self, node: cst.FunctionDef) -> bool:
        """Whether `node` reads `bp.root_path` of a blueprint of the module."""
        if not self.may_spell(node, "root_path"):
            return False
        blueprints = self.blueprints

        class Finder(cst.CSTVisitor):
            found = False

            def visit_Attribute(self, n: cst.Attribute) -> None:
                if n.attr.value == "root_path" and dotted_name(n.value) in blueprints:
                    self.found = True

        finder = Finder()
        self.walk(node, finder)
        return finder.found

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        callee = dotted_name(original_node.func)
        if callee in ("Flask", "flask.Flask"):
            self.converted = True
            add_import(self.context, "fastapi", "FastAPI")
            return expr("FastAPI()")
        if callee in ("Blueprint", "flask.Blueprint"):
            self.converted = True
            args = [kwarg("route_class", expr("FlaskRoute"))]
            dependency = self.context_dependency()
            if dependency is not None:
                args.append(dependency)
            prefix = keyword(original_node, "url_prefix")
            if prefix is not None:
                args.insert(0, kwarg("prefix", prefix.value))
            for arg in original_node.args[2:]:
                if arg.keyword is None or arg.keyword.value == "url_prefix":
                    continue
                if arg.keyword.value not in BLUEPRINT_OPTIONS_DROPPED:
                    self.todo(f"Blueprint({arg.keyword.value}=...) is not converted")
            add_import(self.context, "fastapi", "APIRouter")
            add_import(self.context, RUNTIME, "FlaskRoute")
            router = cst.Call(func=cst.Name("APIRouter"), args=args)
            return self.with_template_folder(router, keyword(original_node, "template_folder"))
        if (
            isinstance(original_node.func, cst.Attribute)
            and original_node.func.attr.value in APP_TEMPLATE_CALLS
            and dotted_name(original_node.func.value) in self.blueprints
        ):
            runtime = original_node.func.attr.value
            add_import(self.context, BLUEPRINT_RUNTIME, runtime)
            owner = cst.Arg(original_node.func.value)
            return updated_node.with_changes(
                func=cst.Name(runtime), args=[owner, *updated_node.args]
            )
        if (
            isinstance(original_node.func, cst.Attribute)
            and original_node.func.attr.value == "register_blueprint"
        ):
            if dotted_name(original_node.func.value) in self.blueprints:
                return self.nested_blueprint(updated_node)
            args = [cst.Arg(original_node.func.value)]
            for arg in updated_node.args:
                if arg.keyword is not None and arg.keyword.value == "url_prefix":
                    arg = arg.with_changes(keyword=cst.Name("prefix"))
                elif arg.keyword is not None:
                    self.todo(f"register_blueprint({arg.keyword.value}=...) is not converted")
                args.append(arg)
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            add_import(self.context, BLUEPRINT_RUNTIME, "register_blueprint")
            return updated_node.with_changes(func=cst.Name("register_blueprint"), args=args)
        return updated_node

    def with_template_folder(self, router: cst.Call, folder: cst.Arg | None) -> cst.Call:
        """`Blueprint(..., template_folder="templates")`: the folder, under the legacy module's,
        searched for the app's templates once the blueprint is registered."""
        legacy = self.legacy_module()
        if folder is None or legacy is None or string_value(folder.value) is None:
            return router
        add_import(self.context, BLUEPRINT_RUNTIME, "blueprint_templates")
        add_import(self.context, CONTEXT, "package_root")
        root = cst.Arg(expr(f'package_root("{legacy}")'))
        return cst.Call(
            cst.Name("blueprint_templates"),
            [cst.Arg(router), root, cst.Arg(folder.value)],
        )

    def nested_blueprint(self, call: cst.Call) -> cst.Call:
        """`parent.register_blueprint(child, url_prefix=p)` -> `parent.include_router(child,
        prefix=p)`: the child's routes under the parent's prefix, then `p`, then its own, as
        Flask composes them when the prefix is given in one of the two places."""
        args: list[cst.Arg] = []
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "url_prefix":
                arg = arg.with_changes(keyword=cst.Name("prefix"))
            elif arg.keyword is not None:
                self.todo(f"register_blueprint({arg.keyword.value}=...) is not converted")
                continue
            args.append(arg)
        child = dotted_name(call.args[0].value) if call.args else None
        if not any(
            parents and variable == (child or "").rpartition(".")[2]
            for (_, variable), parents in analysis_of(self.state).routes.nested.items()
        ):
            self.findings.note(
                None,
                "nested blueprint: Flask names its endpoints `parent.child.view`; the child's "
                "routes keep `child.view` where its module is not found",
            )
        assert isinstance(call.func, cst.Attribute)
        return call.with_changes(
            func=call.func.with_changes(attr=cst.Name("include_router")), args=args
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        """`bp.root_path` -> `package_root("<legacy module>")`: an APIRouter has no folder."""
        if original_node.attr.value != "root_path":
            return updated_node
        if dotted_name(original_node.value) not in self.blueprints:
            return updated_node
        legacy = self.legacy_module()
        if legacy is None:
            return updated_node
        add_import(self.context, CONTEXT, "package_root")
        return expr(f'package_root("{legacy}")')

    def legacy_module(self) -> str | None:
        """The legacy module's import name (`shop.views.main`), when the package's is known."""
        package = self.state.source_package
        parts = self.state.module_path
        if package is None or not parts:
            return None
        names = [*parts[:-1], str(parts[-1]).removesuffix(".py")]
        if names[-1] == "__init__":
            names.pop()
        return ".".join([package, *names])

    def leave_Annotation(
        self, original_node: cst.Annotation, updated_node: cst.Annotation
    ) -> cst.Annotation:
        name = dotted_name(updated_node.annotation)
        if name in ("Flask", "flask.Flask"):
            return updated_node.with_changes(annotation=cst.Name("FastAPI"))
        if name in ("Blueprint", "flask.Blueprint"):
            return updated_node.with_changes(annotation=cst.Name("APIRouter"))
        return updated_node

    # -- set-up statements ---------------------------------------------------------------------
    def statement_reason(self, statement: cst.BaseStatement) -> str | None:
        if isinstance(statement, cst.FunctionDef):
            for decorator in statement.decorators:
                call = decorator.decorator
                func = call.func if isinstance(call, cst.Call) else call
                if isinstance(func, cst.Attribute) and func.attr.value in HOOKS:
                    reason = HOOKS[func.attr.value]
                    if reason:
                        self.findings.note(None, reason, Status.manual)
                        return None  # kept, marked by leave_FunctionDef
            return None
        if not self.apps or isinstance(statement, cst.ClassDef):
            return None
        if isinstance(statement, cst.For) and isinstance(statement.body, cst.IndentedBlock):
            # `for bp in blueprints: register_blueprint(app, bp, prefix=...)`: kept when every
            # statement of its body is
            reasons = [self.statement_reason(inner) for inner in statement.body.body]
            if statement.orelse is None and not any(reasons):
                return None
        # the statement's code without the comments above it (`# Return the Flask app` above
        # changedetection.io's `return app` made it look like set-up to leave)
        bare = statement.with_changes(leading_lines=[])
        code = bare_line = cst.Module(body=[]).code_for_node(bare).strip()
        if bare_line.startswith(PORTED_SETUP) or (
            isinstance(statement, cst.SimpleStatementLine)
            and isinstance(statement.body[0], cst.Assign)
            and bare_line.partition(" = ")[2].startswith(PORTED_SETUP)
        ):
            return None
        if self.calls_own_init_app(statement):
            return None
        if any(marker in code for marker in EXTENSION_MARKERS) and not isinstance(
            statement, cst.FunctionDef | cst.ClassDef
        ):
            return "extension set-up: the FastAPI side needs its own (session, login, CSRF)"
        if not any(self.uses_name(statement, app) for app in self.apps):
            return None
        if ".state." in code or self.calls_setup_function(statement):
            return None  # converted by the app-factory rule
        if code.startswith("return ") or "FastAPI()" in code:
            return None
        if "include_router" in code or code.startswith("register_blueprint("):
            return None
        if "router.route_class" in code:
            return None
        if ".config" in code:
            return "app.config: move settings to pydantic-settings"
        if "init_app" in code:
            return "extension set-up: the FastAPI side needs its own (session, login, CSRF)"
        if "app_context" in code:
            return "app context: run this at start-up (lifespan)"
        if ".run(" in code:
            return "run with uvicorn / strangler serve"
        return "Flask application set-up FastAPI has no twin for"

    def calls_setup_function(self, statement: cst.BaseStatement) -> bool:
        """`register_error_handlers(app)`, a set-up function the app-factory rule converted."""
        setup = self.read(AppFactoryFacts).setup_functions
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        small = statement.body[0]
        return (
            isinstance(small, cst.Expr)
            and isinstance(small.value, cst.Call)
            and dotted_name(small.value.func) in setup
        )

    def calls_own_init_app(self, statement: cst.BaseStatement) -> bool:
        """`db.init_app(app)` where `db` is a module of the package (`from . import db`): its
        `init_app` is converted there (teardown, commands), so the call stays."""
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        small = statement.body[0]
        if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
            return False
        callee = dotted_name(small.value.func) or ""
        module, _, function = callee.rpartition(".")
        return function == "init_app" and module in self.own_modules

    def context_dependency(self) -> cst.Arg | None:
        """`dependencies=[Depends(get_session)]` when the module's helpers read the request's
        context (see the flask-context rule)."""
        binding = self.read(ContextBinding).binding or (
            "request" if self.read(ResponseFacts).binds_request else None
        )
        if binding is None:
            return None
        add_import(self.context, "fastapi", "Depends")
        if binding == "session":
            dots = self.state.to_root + session_module(self.state)
            add_import(self.context, dots, "get_session")
            add_database_module(self.state)
            return kwarg("dependencies", expr("[Depends(get_session)]"))
        add_import(self.context, CONTEXT, "bind_request")
        return kwarg("dependencies", expr("[Depends(bind_request)]"))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        kept: list[cst.Decorator] = []
        notes: list[cst.EmptyLine] = []
        ported_any = False
        for decorator in updated_node.decorators:
            call = decorator.decorator
            func = call.func if isinstance(call, cst.Call) else call
            ported = self.blueprint_hook(decorator)
            if ported is not None:
                kept.append(ported)
                ported_any = True
                continue
            reason = HOOKS.get(func.attr.value) if isinstance(func, cst.Attribute) else None
            if not reason:
                kept.append(decorator)
                continue
            # FastAPI objects have no such hook: the decorator would fail at import time.
            self.findings.note(None, reason, Status.manual)
            notes.append(todo_line(reason))
            text = cst.Module(body=[]).code_for_node(call)
            notes.append(cst.EmptyLine(comment=cst.Comment(f"# @{text}")))
        if not notes:
            return updated_node.with_changes(decorators=kept) if ported_any else updated_node
        return updated_node.with_changes(
            decorators=kept, leading_lines=[*updated_node.leading_lines, *notes]
        )

    def blueprint_hook(self, decorator: cst.Decorator) -> cst.Decorator | None:
        """`@bp.before_app_request` -> `@before_app_request(bp)`, `@bp.errorhandler(X)` ->
        `@blueprint_errorhandler(bp, X)` (None for other decorators)."""
        call = decorator.decorator
        arguments: list[cst.Arg] = []
        hooks = BLUEPRINT_HOOKS
        template = call.func if isinstance(call, cst.Call) else call
        if (
            isinstance(template, cst.Attribute)
            and template.attr.value in APP_TEMPLATE_HOOKS
            and dotted_name(template.value) in self.blueprints
        ):
            hook = template.attr.value
            add_import(self.context, BLUEPRINT_RUNTIME, hook)
            given = list(call.args) if isinstance(call, cst.Call) else []
            if given:
                given[-1] = given[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return decorator.with_changes(
                decorator=cst.Call(cst.Name(hook), [cst.Arg(template.value), *given])
            )
        if isinstance(call, cst.Call) and len(call.args) == 1 and not call.args[0].keyword:
            arguments = [call.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
            hooks, call = BLUEPRINT_ERROR_HOOKS, call.func
        if not isinstance(call, cst.Attribute) or dotted_name(call.value) not in self.blueprints:
            return None
        runtime = hooks.get(call.attr.value)
        if runtime is None:
            return None
        add_import(self.context, BLUEPRINT_RUNTIME, runtime)
        return decorator.with_changes(
            decorator=cst.Call(func=cst.Name(runtime), args=[cst.Arg(call.value), *arguments])
        )

    def mark(self, body: list[cst.BaseStatement]) -> dict[int, str]:
        marked = {}
        left: set[str] = set()  # names only a statement commented out above would set
        for statement in body:
            reason = self.statement_reason(statement)
            if reason is None:
                used = self.uses_left(statement, left)
                if used:
                    reason = f"uses {used[0]}, whose set-up above is left for a person"
            if reason:
                marked[id(statement)] = reason
                left |= _assigned_names(statement)
                self.findings.note(None, reason, Status.partial)
        return marked

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = list(updated_node.body)
        marked = self.mark(body)
        if not marked:
            return updated_node.with_changes(body=self.with_route_class(body))
        body = with_commented_out(body, marked, cst.Module([]))
        return updated_node.with_changes(body=self.with_route_class(body))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = list(updated_node.body)
        marked = self.mark(body)
        if marked:
            left = {name for s in body if id(s) in marked for name in _assigned_names(s)}
            body = [self.without_uses(s, left, updated_node) for s in body]
            body = with_commented_out(body, marked, updated_node)
        if self.converted:
            body = without_imported_names(body, "flask", {"Flask", "Blueprint"})
        body = self.with_route_class(body)
        return updated_node.with_changes(body=body)

    def without_uses(
        self, statement: cst.BaseStatement, left: set[str], module: cst.Module
    ) -> cst.BaseStatement:
        """A module-level function (an app factory) with the statements of its body that use a
        name whose module-level set-up was commented out (`watch_api = Api(app)` above, then
        `watch_api.add_resource(...)` in changedetection.io's factory) commented out too."""
        if not left or not isinstance(statement, cst.FunctionDef):
            return statement
        if not isinstance(statement.body, cst.IndentedBlock):
            return statement
        inner = list(statement.body.body)
        marked = {}
        for item in inner:
            used = self.uses_left(item, left)
            if used:
                reason = f"uses {used[0]}, whose set-up above is left for a person"
                marked[id(item)] = reason
                self.findings.note(None, reason, Status.partial)
        if not marked:
            return statement
        inner = with_commented_out(inner, marked, module)
        return statement.with_changes(body=statement.body.with_changes(body=inner))

    def uses_left(self, statement: cst.BaseStatement, left: set[str]) -> list[str]:
        """The names of `left` (set up by statements commented out) `statement` uses; a
        function's or class's by its decorators (`@login_manager.user_loader`)."""
        if not left:
            return []
        parts: Sequence[cst.CSTNode] = (
            statement.decorators
            if isinstance(statement, cst.FunctionDef | cst.ClassDef)
            else [statement]
        )
        return sorted(name for name in left if any(self.uses_name(p, name) for p in parts))

    def with_route_class(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """Routes declared on the app itself also need FlaskRoute (abort() bodies)."""
        result: list[cst.BaseStatement] = []
        for statement in body:
            result.append(statement)
            app = _fastapi_assignment(statement)
            if app is not None:
                add_import(self.context, RUNTIME, "FlaskRoute")
                result.append(cst.parse_statement(f"{app}.router.route_class = FlaskRoute"))
        return result


def _assigned_names(statement: cst.BaseStatement) -> set[str]:
    """The plain names a simple statement assigns (`admin = Admin(app)` -> {"admin"})."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return set()
    names = set()
    for small in statement.body:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                if isinstance(target.target, cst.Name):
                    names.add(target.target.value)
        elif isinstance(small, cst.AnnAssign | cst.AugAssign) and isinstance(
            small.target, cst.Name
        ):
            names.add(small.target.value)
    return names


def _fastapi_assignment(statement: cst.BaseStatement) -> str | None:
    """`app` for a statement `app = FastAPI()`."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
        return None
    if dotted_name(small.value.func) != "FastAPI" or len(small.targets) != 1:
        return None
    return dotted_name(small.targets[0].target)


def own_modules(module: cst.Module, filename: str | None) -> set[str]:
    """The names a module imports as modules of its own package (`from . import db` with a
    `db.py` or `db/` beside it)."""
    folder = Path(filename).resolve().parent if filename else None
    found: set[str] = set()

    class Imports(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
            for small in node.body:
                if isinstance(small, cst.ImportFrom):
                    self.visit_ImportFrom(small)
            return False  # imports are statements: no need to walk the expressions

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.module is not None or len(node.relative) != 1 or folder is None:
                return
            if isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                name = dotted_name(alias.name) or ""
                local = alias.asname.name if alias.asname else alias.name
                is_module = (folder / f"{name}.py").is_file() or (
                    folder / name / "__init__.py"
                ).is_file()
                if is_module and isinstance(local, cst.Name):
                    found.add(local.value)

    walk(module, Imports())
    return found
