"""The app factory's config, request hooks, error handlers and template registrations -> their
runtime twins (codemods/runtime/flask/app_hooks.py, context.py, templates.py, app_setup.py).

`app = Flask(__name__, instance_relative_config=True)` is followed by the legacy package's
`app.state.instance_path` (the `instance_path=` given, or Flask's default), `app.state.root_path`,
`app.state.config = FlaskConfig(<root>)` (Flask's own `Config`: `from_pyfile` reads from the
instance folder with `instance_relative_config`, else from the package) and `serve_static(app,
...)` (Flask's `/static/` route). `app.config` -> `app.state.config` (read by
`current_config()`), `app.instance_path`/`app.root_path` -> `app.state.*`, Flask's config
attributes (`app.secret_key`, `testing`, `permanent_session_lifetime`) -> their
`app.state.config[...]` keys. `@app.before_request`
-> `@before_request(app)`, likewise `after_request`, `teardown_request`, `teardown_appcontext`
(also called: `app.teardown_appcontext(close_db)` -> `teardown_appcontext(app)(close_db)`),
`errorhandler(X)`, `context_processor`, `template_filter`, `template_global`, `template_test`;
`app.jinja_env` -> `jinja_env(app)`; `app.add_url_rule("/", endpoint="index")` (no view) ->
`endpoint_alias(app, "/", "index")`; `app.cli` -> `command_line(app)`. A set-up function whose
every use of the app is one of these (`register_error_handlers(app)`, a module's own
`init_app(app)`) is listed so the blueprints rule keeps its call.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import expr
from codemods.engine.nodes import descendants, dotted_name, keyword, positional
from codemods.engine.rule import Rule
from codemods.engine.walk import walk
from codemods.flask.facts import AppFactoryFacts
from codemods.flask.tables.responses import CONTEXT

HOOKS_RUNTIME = "codemods.runtime.flask.app_hooks"
TEMPLATES_RUNTIME = "codemods.runtime.flask.templates"
SETUP_RUNTIME = "codemods.runtime.flask.app_setup"
# decorator or call on the app -> (runtime module, runtime name)
HOOK_RUNTIMES = {
    "before_request": HOOKS_RUNTIME,
    "after_request": HOOKS_RUNTIME,
    "teardown_request": HOOKS_RUNTIME,
    "teardown_appcontext": HOOKS_RUNTIME,
    "errorhandler": HOOKS_RUNTIME,
    "context_processor": TEMPLATES_RUNTIME,
    "template_filter": TEMPLATES_RUNTIME,
    "template_global": TEMPLATES_RUNTIME,
    "template_test": TEMPLATES_RUNTIME,
    "shell_context_processor": SETUP_RUNTIME,
}
HOOKS = tuple(HOOK_RUNTIMES)
# `app.add_template_filter(f, name)` -> `add_template_filter(app, f, name)`
APP_CALLS = {
    "add_template_filter": TEMPLATES_RUNTIME,
    "add_template_global": TEMPLATES_RUNTIME,
    "add_template_test": TEMPLATES_RUNTIME,
}
# `app.jinja_env` -> `jinja_env(app)`
APP_OBJECTS = {
    "jinja_env": (TEMPLATES_RUNTIME, "jinja_env"),
    "cli": (SETUP_RUNTIME, "command_line"),
    "logger": (SETUP_RUNTIME, "app_logger"),
    "import_name": (SETUP_RUNTIME, "app_import_name"),
    "name": (SETUP_RUNTIME, "app_import_name"),
}
APP_STATE = ("config", "instance_path", "root_path", "static_folder")
# Flask's config attributes (`ConfigAttribute`): `app.secret_key = x` sets `app.config[...]`
# (not `debug`: a FastAPI app has its own)
CONFIG_ATTRIBUTES = {
    "secret_key": "SECRET_KEY",
    "testing": "TESTING",
    "permanent_session_lifetime": "PERMANENT_SESSION_LIFETIME",
}
SUPPORTED = {*HOOKS, *APP_CALLS, *APP_OBJECTS, *APP_STATE, *CONFIG_ATTRIBUTES, "add_url_rule"}


def app_uses(function: cst.FunctionDef, app: str) -> set[str]:
    """The attributes of `app` the function reads (`{"config", "cli"}`); `""` for a bare use."""
    found: set[str] = set()

    class Finder(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> bool:
            if dotted_name(node.value) == app:
                found.add(node.attr.value)
                return False
            return True

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == app:
                found.add("")

    walk(function.body, Finder())  # libcst's visit, without rebuilding the body
    return found


FLASK_NAMES = ("Flask", "flask.Flask")


def module_level_assigns(body: Sequence[cst.BaseStatement]) -> Iterator[cst.Assign]:
    """The assignments run at import: the module's own lines and those under its `if`/`try`/
    `with`/`for` blocks, not those of its functions and classes."""
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from (small for small in statement.body if isinstance(small, cst.Assign))
        elif isinstance(statement, cst.FunctionDef | cst.ClassDef):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            for block in blocks_of(statement):
                yield from module_level_assigns(block)


def blocks_of(statement: cst.BaseCompoundStatement) -> Iterator[Sequence[cst.BaseStatement]]:
    """The statement lists of a compound statement and of its `else`/`elif`/`except`/`finally`."""
    pending: list[cst.CSTNode] = [statement]
    while pending:
        node = pending.pop()
        body = getattr(node, "body", None)
        if isinstance(body, cst.IndentedBlock):
            yield body.body
        for part in ("orelse", "finalbody"):
            other = getattr(node, part, None)
            if isinstance(other, cst.CSTNode):
                pending.append(other)
        pending.extend(getattr(node, "handlers", ()))


def factory_app_names(module: cst.Module) -> set[str]:
    """Names bound at import to the package's factory (`flask_app = create_app()`, lemur's
    common/celery.py): the generated FastAPI app once converted."""
    return {
        name
        for assign in module_level_assigns(module.body)
        if isinstance(assign.value, cst.Call)
        and (dotted_name(assign.value.func) or "").rpartition(".")[2] == "create_app"
        for target in assign.targets
        if (name := dotted_name(target.target))
    }


def given_the_factory_app(module: cst.Module, apps: set[str]) -> set[str]:
    """The module's functions taking `app` that the module itself calls at import with a
    factory app (`celery_app = make_celery(flask_app)`): their `app` is the generated app."""
    functions = {
        s.name.value
        for s in module.body
        if isinstance(s, cst.FunctionDef) and "app" in [p.name.value for p in s.params.params]
    }
    given: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            continue
        for node in descendants(statement):
            if not (isinstance(node, cst.Call) and dotted_name(node.func) in functions):
                continue
            if any(a.keyword is None and dotted_name(a.value) in apps for a in node.args[:1]):
                given.add(dotted_name(node.func) or "")
    return given


def constructs_flask(function: cst.FunctionDef) -> bool:
    """Whether the function's own body makes the app (`app = Flask(...)`, `return Flask(...)`):
    it is an app factory."""
    if not isinstance(function.body, cst.IndentedBlock):
        return False
    for line in function.body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            value = getattr(small, "value", None)
            if isinstance(value, cst.Call) and dotted_name(value.func) in FLASK_NAMES:
                return True
    return False


class AppFactoryRule(Rule):
    name = "app-factory"
    DESCRIPTION = "app.config, before/after_request and errorhandler -> their runtime twins."
    triggers = ("Flask(", "(app", ".config")
    gated = (
        cst.ClassDef,
        cst.FunctionDef,
        cst.Assign,
        cst.Attribute,
        cst.Decorator,
        cst.SimpleStatementLine,
        cst.Call,
    )
    gate_names = ("Flask", "create_app", *SUPPORTED)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.apps: set[str] = set()
        # Functions whose app reads are rewritten: the factory and the set-up functions (any
        # other, like one reading `app.cli`, stays for the blueprints rule to comment out).
        self.scope: set[str] = set()
        self.decorator_calls: set[int] = set()
        self.decorating = 0  # depth of decorators being visited
        self.module_apps: set[str] = set()  # `app = Flask(...)` at module level
        self.shadowing: set[str] = set()  # module-level functions with their own `app`
        self.factory_apps: set[str] = set()  # `flask_app = create_app()` at module level

    def visit_Module(self, node: cst.Module) -> None:
        setup: set[str] = set()
        for statement in node.body:
            if not isinstance(statement, cst.FunctionDef):
                continue
            params = [p.name.value for p in statement.params.params]
            if "app" in params:  # `init_app(app)`, `configure(app, prefix)`
                uses = app_uses(statement, "app")
                # `app.register_blueprint(bp, url_prefix=...)` (lemur's `configure_blueprints`,
                # looping over its parameter) is converted by the blueprints rule
                if uses and uses <= {*SUPPORTED, "register_blueprint"}:
                    setup.add(statement.name.value)
        self.own(AppFactoryFacts).setup_functions = setup
        self.factory_apps = factory_app_names(node)
        given = given_the_factory_app(node, self.factory_apps) if self.factory_apps else set()
        self.own(AppFactoryFacts).app_functions = given
        factories = {
            s.name.value
            for s in node.body
            if isinstance(s, cst.FunctionDef) and constructs_flask(s)
        }
        self.scope = setup | factories | given
        self.module_apps = set(self.factory_apps) | {
            name
            for s in node.body
            if isinstance(s, cst.SimpleStatementLine)
            for small in s.body
            if isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Call)
            and dotted_name(small.value.func) in ("Flask", "flask.Flask")
            for target in small.targets
            if (name := dotted_name(target.target))
        }
        self.shadowing = {
            s.name.value
            for s in node.body
            if isinstance(s, cst.FunctionDef)
            and any(self.binds_name(s, app) for app in self.module_apps)
        }

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        # only a module whose app the factory made at import has class code reading it
        return bool(self.factory_apps)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.name.value not in self.handlers or bool(self.module_apps)

    def is_app(self, node: cst.BaseExpression) -> bool:
        name = dotted_name(node)
        # a decorator of a module-level function is read at module level
        module_level = not self._functions or (self.decorating and len(self._functions) == 1)
        in_scope = module_level or self._functions[0] in self.scope
        if not in_scope and name in self.module_apps:  # the module's own app, read in a function
            in_scope = self._functions[0] not in self.shadowing
        return in_scope and name is not None and (name in self.apps or name == "app")

    def visit_Assign(self, node: cst.Assign) -> None:
        callee = dotted_name(node.value.func) if isinstance(node.value, cst.Call) else None
        # `flask_app = create_app()` at module level (lemur's common/redis.py): the package's
        # factory, a FastAPI app once converted
        factory_call = not self._functions and (callee or "").rpartition(".")[2] == "create_app"
        if factory_call:
            for target in node.targets:
                name = dotted_name(target.target)
                if name:
                    self.factory_apps.add(name)
                    self.module_apps.add(name)  # read in the module's functions too
        if callee in ("Flask", "flask.Flask") or factory_call:
            for target in node.targets:
                name = dotted_name(target.target)
                if name:
                    self.apps.add(name)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self.is_app(original_node.value):
            return updated_node
        owner = dotted_name(original_node.value)
        attribute = original_node.attr.value
        if attribute in APP_STATE:
            return expr(f"{owner}.state.{attribute}")
        if attribute in CONFIG_ATTRIBUTES:  # changedetection.io's `app.secret_key = ...`
            return expr(f'{owner}.state.config["{CONFIG_ATTRIBUTES[attribute]}"]')
        if attribute in APP_OBJECTS:
            module, runtime = APP_OBJECTS[attribute]
            self.use(module, runtime)
            return expr(f"{runtime}({owner})")
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """`app.teardown_appcontext(f)` -> `teardown_appcontext(app)(f)`, `app.add_url_rule(rule,
        endpoint=...)` without a view -> `endpoint_alias(app, rule, endpoint)`,
        `app.add_template_filter(f)` -> `add_template_filter(app, f)`."""
        func = original_node.func
        if id(original_node) in self.decorator_calls:
            return updated_node  # `@app.errorhandler(404)`: leave_Decorator converts it
        if not isinstance(func, cst.Attribute) or not self.is_app(func.value):
            return updated_node
        method = func.attr.value
        owner = dotted_name(func.value)
        if method in HOOK_RUNTIMES and method != "errorhandler" and original_node.args:
            self.use(HOOK_RUNTIMES[method], method)
            return cst.Call(func=expr(f"{method}({owner})"), args=updated_node.args)
        if method in APP_CALLS:
            self.use(APP_CALLS[method], method)
            return cst.Call(func=cst.Name(method), args=[cst.Arg(func.value), *updated_node.args])
        if method == "add_url_rule":
            return self.endpoint_alias(original_node, owner) or updated_node
        return updated_node

    def endpoint_alias(self, call: cst.Call, owner: str | None) -> cst.BaseExpression | None:
        rule = positional(call, 0)
        endpoint = keyword(call, "endpoint") or positional(call, 1)
        view = keyword(call, "view_func") or positional(call, 2)
        if rule is None or endpoint is None or view is not None or owner is None:
            return None
        known = ("rule", "endpoint")
        if any(a.keyword is not None and a.keyword.value not in known for a in call.args):
            return None
        self.use(SETUP_RUNTIME, "endpoint_alias")
        code = cst.Module(body=[]).code_for_node
        return expr(f"endpoint_alias({owner}, {code(rule.value)}, {code(endpoint.value)})")

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self.decorator_calls.add(id(node.decorator))
        self.decorating += 1

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        result = self.decorator(original_node, updated_node)
        self.decorating -= 1
        return result

    def decorator(self, original_node: cst.Decorator, updated_node: cst.Decorator) -> cst.Decorator:
        target = original_node.decorator
        call = target if isinstance(target, cst.Call) else None
        func = call.func if call is not None else target
        if not isinstance(func, cst.Attribute) or func.attr.value not in HOOKS:
            return updated_node
        if not self.is_app(func.value):
            return updated_node
        hook = func.attr.value
        self.use(HOOK_RUNTIMES[hook], hook)
        args = [cst.Arg(func.value)]
        if call is not None:
            args += [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in call.args]
        return updated_node.with_changes(decorator=cst.Call(func=cst.Name(hook), args=args))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        small = original_node.body[0]
        if not (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Call)
            and dotted_name(small.value.func) in ("Flask", "flask.Flask")
            and len(small.targets) == 1
        ):
            return updated_node
        app = dotted_name(small.targets[0].target)
        flask_call = small.value
        self.use(CONTEXT, "FlaskConfig")
        self.use(CONTEXT, "default_instance_path")
        self.use(CONTEXT, "package_root")
        # The legacy package's folders: both sides share its database, files and templates.
        package = self.state.source_package
        owner = f'"{package}"' if isinstance(package, str) else "__name__"
        code = cst.Module(body=[]).code_for_node
        given = keyword(flask_call, "instance_path")
        instance = f", {code(given.value)}" if given is not None else ""
        relative = keyword(flask_call, "instance_relative_config")
        root = (
            f"{app}.state.instance_path"
            if relative is not None and code(relative.value) != "False"
            else f"{app}.state.root_path"
        )
        if relative is not None and code(relative.value) not in ("True", "False"):
            root = f"{app}.state.instance_path if {code(relative.value)} else {app}.state.root_path"
        lines = [
            f"{app}.state.root_path = package_root({owner})",
            f"{app}.state.instance_path = default_instance_path({owner}{instance})",
            f"{app}.state.config = FlaskConfig({root})",
        ]
        static = keyword(flask_call, "static_folder")
        if static is None or code(static.value) != "None":
            self.use(SETUP_RUNTIME, "serve_static")
            folder = f", {code(static.value)}" if static is not None else ""
            url = keyword(flask_call, "static_url_path")
            path = f", url_path={code(url.value)}" if url is not None else ""
            lines.append(f"serve_static({app}, {owner}{folder}{path})")
        self.use(HOOKS_RUNTIME, "routing_errors_like_flask")
        lines.append(f"routing_errors_like_flask({app})")
        return cst.FlattenSentinel([updated_node, *(cst.parse_statement(line) for line in lines)])
