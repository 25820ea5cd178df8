"""Every route registration of a Flask package, read from its text before any module converts.

Route decorators on views (`@bp.route`, `@app.get`, also inside an app factory) are the routes
rule's. This finds the registrations that name their view elsewhere, wherever they are:

- `X.add_url_rule(rule, endpoint, view_func, methods=...)` and `X.route(rule)(view)`, at module
  level or inside a function (`create_app`), with a function or `View.as_view(name)` as view;
- calls of the project's own helpers whose body registers a parameter
  (`register_view(bp, routes=["/a", "/b"], view_func=V.as_view("v"))`): the literal arguments of
  each call site are put in the helper's `add_url_rule`;
- Flask-RESTful/Flask-RESTX `api.add_resource(Resource, *urls, endpoint=...)`;
- Flask-Admin `@expose(url, methods=...)` methods (and `name = expose(url)(function)`).

A view is found by name in the module registering it, or through that module's imports of the
package's own modules. Each registration says whether the method-views rule converts it (a
module-level `add_url_rule` or plain Flask-RESTful resource beside its view; an app's
`add_url_rule` naming `module.view`, onto that module's router): the others are reported by the
registrations rule on the view itself, so no route silently vanishes from the report.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from codemods.engine.ast_names import ast_dotted, statements
from codemods.engine.parsed import parse_ast_shared

ModulePath = tuple[str, ...]  # a module's path under SRC, as parts: ("api", "views.py")

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
METHOD_VIEW_BASES = {"MethodView", "views.MethodView", "flask.views.MethodView", "View"}
RESOURCE_BASES = {"Resource", "flask_restful.Resource", "flask_restx.Resource", "restful.Resource"}
API_CLASSES = {"Api", "flask_restful.Api", "flask_restx.Api"}
FLASK_ADMIN = ("flask_admin", "flask_appbuilder")


@dataclass(frozen=True)
class View:
    """A view as defined in its module: a function, a class, or a name bound by an assignment
    (`tiny = decorate(lambda index: ...)`)."""

    module: ModulePath
    name: str
    kind: str  # "function" | "class" | "assigned"
    line: int
    class_methods: tuple[str, ...] = ()  # the HTTP methods a class defines (`get`, `post`)
    method_view: bool = False  # a class deriving from MethodView/View by name
    # A Flask-RESTful resource with only HTTP methods (and a docstring) as its body.
    plain_resource: bool = False
    string_returns: tuple[str, ...] = ()  # its methods returning a str (JSON in Flask-RESTful)


@dataclass(frozen=True)
class Registration:
    how: str  # "add_url_rule" | "route" | "add_resource" | "expose"
    module: ModulePath  # where the registration is written
    line: int
    scope: str | None  # the function it is written in (`create_app`), None at module level
    router: str  # what it registers on (`app`, `bp`, `api`), as written
    rule: str | None  # None: not a literal string
    endpoint: str | None
    methods: tuple[str, ...] | None  # None: not given; () when not a literal list
    view: View
    helper: str | None = None  # the project's own helper whose body registers it
    symbol: str | None = None  # for `expose`: `Class.method`, else the view's name
    plain_api: bool = False  # `add_resource` at module level on `api = Api(router)` beside it
    # The same, in a module with `reqparse`/`marshal`: its resources are dispatched by the
    # runtime (codemods/flask/restful_dispatch.py), whatever their body and bases.
    module_api: bool = False
    # `app.add_url_rule(rule, view_func=module.view)` on a `Flask()` app of the registering
    # scope, the view named through a module alias (`api.view`, `api.View.as_view("v")`), with
    # no option the routes rule lacks: (the alias, the view as written without `.as_view`).
    via_alias: tuple[str, str] | None = None

    @property
    def place(self) -> str:
        return f"{'/'.join(self.module)}:{self.line}"

    @property
    def converted(self) -> bool:
        """Whether the rules convert it: where it is, or on the router of its view's module."""
        return self.converted_in_place or self.converted_on_module_router

    @property
    def converted_on_module_router(self) -> bool:
        """An app's `add_url_rule` naming a view of another module: the method-views rule puts
        the route on that module's `flask_app_routes` router and the registration becomes
        `app.register_blueprint(module.flask_app_routes)`."""
        if self.how != "add_url_rule" or self.helper or self.via_alias is None:
            return False
        if self.rule is None or self.view.module == self.module:
            return False
        if self.view.kind == "function":
            return True
        return self.view.kind == "class" and self.view.method_view and bool(self.view.class_methods)

    @property
    def converted_in_place(self) -> bool:
        """Whether the method-views rule converts it: a module-level `add_url_rule` with a
        literal rule, beside its view (a function, or a MethodView class by its own name)."""
        if self.how not in ("add_url_rule", "add_resource") or self.helper or self.scope:
            return False
        if self.rule is None or self.view.module != self.module:
            return False
        if self.how == "add_resource":
            plain = self.plain_api and self.view.plain_resource
            return plain or (self.module_api and bool(self.view.class_methods))
        if self.view.kind == "function":
            return True
        return self.view.kind == "class" and self.view.method_view and bool(self.view.class_methods)


@dataclass
class RouteDiscovery:
    registrations: list[Registration] = field(default_factory=list)
    error: str | None = None  # why the package could not be read (then nothing was found)
    # A nested blueprint (its module, its variable) -> the names of the blueprints it is
    # registered in, outermost first: Flask names its endpoints `parent.child.view`.
    nested: dict[tuple[ModulePath, str], tuple[str, ...]] = field(default_factory=dict)

    def parents_of(self, module: ModulePath, variable: str) -> tuple[str, ...]:
        return self.nested.get((module, variable), ())

    def of_module(self, module: ModulePath) -> list[Registration]:
        """The registrations whose view is defined in `module`."""
        return [r for r in self.registrations if r.view.module == module]


def discover(root: Path, files: list[Path], package: str | None) -> RouteDiscovery:
    from codemods.engine.runner import is_test_module

    sources: dict[ModulePath, str] = {}
    for path in files:
        try:
            relative = path.relative_to(root)
            if not is_test_module(relative):
                sources[relative.parts] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            continue
    names = tuple(n for n in {package, root.name} if n)
    return discover_sources(sources, names)


def discover_sources(
    sources: dict[ModulePath, str], package_names: tuple[str, ...] = ()
) -> RouteDiscovery:
    """`sources`: module path under SRC -> its text; `package_names`: the dotted names SRC is
    imported as (`lektor.admin`, `admin`), to read absolute imports of the package's modules."""
    trees: dict[ModulePath, ast.Module] = {}
    for module, text in sources.items():
        try:
            trees[module] = parse_ast_shared(text)
        except SyntaxError:
            continue
    package = Package(trees, package_names, sources)
    found = RouteDiscovery()
    for module in trees:
        found.registrations += ModuleScan(package, module).registrations()
    found.nested = nested_blueprints(package)
    return found


def blueprint_names(tree: ast.Module) -> dict[str, str]:
    """Module-level `bp = Blueprint("name", ...)`: variable -> Flask name."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and ast_dotted(node.value.func) in ("Blueprint", "flask.Blueprint")
        ):
            name = _string(_argument(node.value, 0, "name"))
            for target in node.targets:
                if isinstance(target, ast.Name) and name:
                    found[target.id] = name
    return found


def nested_blueprints(package: Package) -> dict[tuple[ModulePath, str], tuple[str, ...]]:
    """`parent.register_blueprint(child)` at module level, `parent` a Blueprint of the module
    and `child` one of the package: child -> its parents' names, outermost first."""
    direct: dict[tuple[ModulePath, str], tuple[ModulePath, str, str]] = {}
    for module, tree in package.trees.items():
        names = blueprint_names(tree)
        for node in tree.body:
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
                continue
            call = node.value
            if _attribute(call.func) != "register_blueprint" or not call.args:
                continue
            assert isinstance(call.func, ast.Attribute)
            parent = ast_dotted(call.func.value)
            registered = package.resolve(module, call.args[0])
            if parent in names and registered is not None and registered.kind == "assigned":
                direct[(registered.module, registered.name)] = (module, parent, names[parent])
    found: dict[tuple[ModulePath, str], tuple[str, ...]] = {}
    for child in direct:
        chain: list[str] = []
        at: tuple[ModulePath, str] | None = child
        while at in direct and len(chain) < 10:
            module, parent, name = direct[at]
            chain.insert(0, name)
            at = (module, parent)
        found[child] = tuple(chain)
    return found


# -- the package: its modules, their definitions and imports ------------------------------------


def dotted(module: ModulePath) -> str:
    parts = [*module[:-1], module[-1].removesuffix(".py")]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class Package:
    def __init__(
        self,
        trees: dict[ModulePath, ast.Module],
        names: tuple[str, ...],
        texts: dict[ModulePath, str] | None = None,
    ) -> None:
        self.trees = trees
        self.names = names
        self.texts = texts or {}  # the modules' source, when known: a word not in it is not used
        self.by_dotted = {dotted(m): m for m in trees}
        self._definitions: dict[ModulePath, dict[str, View]] = {}
        self._imports: dict[ModulePath, dict[str, tuple[ModulePath, str | None]]] = {}
        self._helpers: dict[tuple[ModulePath, str], Helper | None] = {}

    def module_named(self, name: str) -> ModulePath | None:
        """A module of the package by its absolute dotted name (or its name relative to SRC)."""
        for prefix in sorted(self.names, key=len, reverse=True):
            if name == prefix:
                return self.by_dotted.get("")
            if name.startswith(prefix + "."):
                found = self.by_dotted.get(name.removeprefix(prefix + "."))
                if found is not None:
                    return found
        return self.by_dotted.get(name)

    def definitions(self, module: ModulePath) -> dict[str, View]:
        if module not in self._definitions:
            self._definitions[module] = _definitions(module, self.trees[module])
        return self._definitions[module]

    def helper(self, module: ModulePath, name: str) -> Helper | None:
        """`helper_in(self, module, name)`, read once per function (every call site asks)."""
        key = (module, name)
        if key not in self._helpers:
            self._helpers[key] = helper_in(self, module, name)
        return self._helpers[key]

    def spells(self, module: ModulePath, words: tuple[str, ...]) -> bool:
        """Whether the module's source may hold one of `words` (True when it is not known)."""
        text = self.texts.get(module)
        return text is None or any(word in text for word in words)

    def imports(self, module: ModulePath) -> dict[str, tuple[ModulePath, str | None]]:
        """Local name -> (module of the package, name in it, or None for the module itself)."""
        if module not in self._imports:
            self._imports[module] = {}  # packages importing each other read it empty meanwhile
            self._imports[module] = self._read_imports(module)
        return self._imports[module]

    def _read_imports(self, module: ModulePath) -> dict[str, tuple[ModulePath, str | None]]:
        found: dict[str, tuple[ModulePath, str | None]] = {}
        here = dotted(module).split(".") if dotted(module) else []
        is_package = module[-1] == "__init__.py"
        for node in statements(self.trees[module]):  # also in `try:` and in factories
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = self.module_named(alias.name)
                    if target is not None and alias.asname:
                        found.setdefault(alias.asname, (target, None))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here if is_package else here[:-1]
                    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                    parent = ".".join([*base, *(node.module.split(".") if node.module else [])])
                    source = self.by_dotted.get(parent)
                else:
                    parent = node.module or ""
                    source = self.module_named(parent)
                for alias in node.names:
                    local = alias.asname or alias.name
                    child = self.module_named(f"{parent}.{alias.name}") if not node.level else None
                    if node.level:
                        child = self.by_dotted.get(f"{parent}.{alias.name}".lstrip("."))
                    if child is not None and not self.binds(source, alias.name):
                        found.setdefault(local, (child, None))
                    elif source is not None:
                        found.setdefault(local, (source, alias.name))
        return found

    def binds(self, package: ModulePath | None, name: str) -> bool:
        """Whether a package's `__init__.py` binds `name` itself: `from .Tags import Tags` makes
        the package's `Tags` the class, not its submodule `Tags` (changedetection.io's API
        resources each live in a module of their own name)."""
        if package is None or package[-1] != "__init__.py" or package not in self.trees:
            return False
        return name in self.definitions(package) or name in self.imports(package)

    def resolve(self, module: ModulePath, expression: ast.expr) -> View | None:
        """The view an expression names in `module`: `f`, `views.f`, `V.as_view("v")`."""
        if isinstance(expression, ast.Call) and _attribute(expression.func) == "as_view":
            assert isinstance(expression.func, ast.Attribute)
            return self.resolve(module, expression.func.value)
        if isinstance(expression, ast.Name):
            return self.named(module, expression.id)
        if isinstance(expression, ast.Lambda):
            return View(module, "<lambda>", "assigned", expression.lineno)
        if isinstance(expression, ast.Attribute) and isinstance(expression.value, ast.Name):
            imported = self.imports(module).get(expression.value.id)
            if imported is not None and imported[1] is None:
                return self.named(imported[0], expression.attr)
        return None

    def named(self, module: ModulePath, name: str, hops: int = 3) -> View | None:
        view = self.definitions(module).get(name)
        if view is not None:
            return view
        imported = self.imports(module).get(name)
        if imported is None or imported[1] is None or hops == 0:
            return None
        return self.named(imported[0], imported[1], hops - 1)


def _definitions(module: ModulePath, tree: ast.Module) -> dict[str, View]:
    found: dict[str, View] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = View(module, node.name, "function", node.lineno)
        elif isinstance(node, ast.ClassDef):
            methods = tuple(
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name in HTTP_METHODS
            )
            bases = {ast_dotted(base) for base in node.bases}
            method_view = bool(bases & METHOD_VIEW_BASES)
            plain = bool(bases & RESOURCE_BASES) and bool(methods) and _only_methods(node)
            strings = tuple(
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name in HTTP_METHODS
                and _returns_a_string(item)
            )
            found[node.name] = View(
                module, node.name, "class", node.lineno, methods, method_view, plain, strings
            )
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, View(module, target.id, "assigned", node.lineno))
    return found


def _only_methods(node: ast.ClassDef) -> bool:
    """A class body of HTTP methods and docstrings only (no `__init__`, no class state)."""
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in HTTP_METHODS:
            continue
        if isinstance(item, ast.Expr) and _string(item.value) is not None:
            continue
        return False
    return True


def _returns_a_string(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Tuple) and value.elts:
                value = value.elts[0]
            if _string(value) is not None or isinstance(value, ast.JoinedStr):
                return True
    return False


def _attribute(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _strings(node: ast.expr | None) -> list[str] | None:
    """The strings of a literal list/tuple/set of strings (or of one string)."""
    single = _string(node)
    if single is not None:
        return [single]
    if not isinstance(node, ast.List | ast.Tuple | ast.Set):
        return None
    values = [_string(element) for element in node.elts]
    return None if any(v is None for v in values) else [v for v in values if v is not None]


def _argument(call: ast.Call, index: int | None, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if index is not None and index < len(call.args):
        argument = call.args[index]
        return None if isinstance(argument, ast.Starred) else argument
    return None


def _methods(node: ast.expr | None) -> tuple[str, ...] | None:
    if node is None:
        return None
    values = _strings(node)
    return tuple(v.upper() for v in values) if values is not None else ()


# -- one module's registrations -----------------------------------------------------------------


@dataclass(frozen=True)
class Helper:
    """A project function registering one of its parameters (`register_view(bp, routes,
    view_func)`): its parameters, and its body's registering calls with the loops around them."""

    module: ModulePath
    name: str
    params: tuple[str, ...]
    defaults: dict[str, ast.expr]
    calls: tuple[tuple[ast.Call, dict[str, ast.expr]], ...]  # (call, loop variable -> iterable)


class ModuleScan:
    def __init__(self, package: Package, module: ModulePath) -> None:
        self.package = package
        self.module = module
        self.tree = package.trees[module]
        self.flask_admin = self._imports_flask_admin()
        self.module_apis = self._module_apis()
        # without a module-level Api there is no plain one: the module need not be read for it
        self.plain_apis = self._plain_apis() if self.module_apis else set()
        self._flask_apps: set[str] | None = None

    def _plain_apis(self) -> set[str]:
        """The module's `Api`s, in a module with no `reqparse`/`marshal`: the resources added to
        them convert like MethodViews."""
        for node in ast.walk(self.tree):
            spelled = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
            if isinstance(node, ast.alias):
                spelled = node.name
            if isinstance(spelled, str) and ("reqparse" in spelled or "marshal" in spelled):
                return set()
        return self.module_apis

    def _module_apis(self) -> set[str]:
        """`api = Api(router)` (or with `prefix=` only) at module level."""
        found: set[str] = set()
        for node in self.tree.body:
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
                continue
            call = node.value
            first = _argument(call, 0, "app")
            keywords = {k.arg for k in call.keywords} - {"app", "prefix"}
            prefix = _argument(call, None, "prefix")
            if (
                ast_dotted(call.func) in API_CLASSES
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(first, ast.Name)
                and not keywords
                and (prefix is None or _string(prefix) is not None)
            ):
                found.add(node.targets[0].id)
        return found

    def registrations(self) -> list[Registration]:
        found: list[Registration] = []
        for call, scope, loops, function in _calls(self.tree):
            if function is not None and _registers_a_parameter(call, function, loops):
                continue  # a helper's body: registered at its call sites
            found += self.registration(call, scope, loops)
            found += self.helper_call(call, scope)
        if self.flask_admin:
            found += self.exposed()
        return found

    def _imports_flask_admin(self) -> bool:
        if not self.package.spells(self.module, FLASK_ADMIN):
            return False
        for node in statements(self.tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(FLASK_ADMIN):
                return any(alias.name == "expose" for alias in node.names)
        return False

    def registration(
        self,
        call: ast.Call,
        scope: str | None,
        loops: dict[str, ast.expr],
        bound: dict[str, ast.expr] | None = None,
        view_module: ModulePath | None = None,
        helper: str | None = None,
        line: int | None = None,
    ) -> list[Registration]:
        """The registrations of an `add_url_rule`/`route(...)(view)`/`add_resource` call; with
        `bound`, a helper's call whose parameters take the call site's arguments."""
        bound = bound or {}

        def value(node: ast.expr | None) -> ast.expr | None:
            if isinstance(node, ast.Name) and node.id in bound:
                return bound[node.id]
            return node

        def rules(node: ast.expr | None) -> list[str | None]:
            node = value(node)
            if isinstance(node, ast.Name) and node.id in loops:
                found = _strings(value(loops[node.id]))
                return list(found) if found else [None]
            found = _strings(node)
            return list(found) if found else [None]

        where = line or call.lineno
        kind = _attribute(call.func)
        if kind == "add_url_rule":
            view_node = value(_argument(call, 2, "view_func"))
            rule_node: ast.expr | None = _argument(call, 0, "rule")
            endpoint = _string(value(_argument(call, 1, "endpoint")))
            methods = _methods(value(_argument(call, None, "methods")))
            router = ast_dotted(call.func.value) if isinstance(call.func, ast.Attribute) else None
        elif isinstance(call.func, ast.Call) and _attribute(call.func.func) == "route":
            inner = call.func
            view_node = value(call.args[0]) if call.args else None
            rule_node = _argument(inner, 0, "rule")
            endpoint = _string(value(_argument(inner, None, "endpoint")))
            methods = _methods(value(_argument(inner, None, "methods")))
            router = ast_dotted(inner.func.value) if isinstance(inner.func, ast.Attribute) else None
            kind = "route"
        elif kind == "add_resource" and call.args:
            view = self.package.resolve(self.module, call.args[0])
            if view is None or view.kind != "class":
                return []
            urls = [_string(a) for a in call.args[1:] if not isinstance(a, ast.Starred)]
            router = ast_dotted(call.func.value) if isinstance(call.func, ast.Attribute) else None
            endpoint = _string(_argument(call, None, "endpoint"))
            literal = (
                all(k.arg == "endpoint" for k in call.keywords)
                and all(u is not None for u in urls)
                and (endpoint is not None or _argument(call, None, "endpoint") is None)
                and scope is None
            )
            plain_api = literal and router in self.plain_apis
            module_api = literal and router in self.module_apis
            return [
                Registration(
                    "add_resource",
                    self.module,
                    where,
                    scope,
                    router or "?",
                    url,
                    endpoint,
                    None,
                    view,
                    plain_api=plain_api,
                    module_api=module_api,
                )
                for url in urls or [None]
            ]
        else:
            return []
        if view_node is None:
            return []  # `add_url_rule("/", endpoint="index")`: an alias, no view of its own
        view = self.package.resolve(view_module or self.module, view_node)
        if view is None:
            return []
        if endpoint is None and isinstance(view_node, ast.Call):
            endpoint = _string(view_node.args[0] if view_node.args else None)
        via_alias = None
        if kind == "add_url_rule" and not bound and router in self.flask_apps():
            via_alias = self._via_alias(view_node, call)
        return [
            Registration(
                kind,
                self.module,
                where,
                scope,
                router or "?",
                rule,
                endpoint,
                methods,
                view,
                helper,
                via_alias=via_alias,
            )
            for rule in rules(rule_node)
        ]

    def flask_apps(self) -> set[str]:
        """The names bound to `Flask(...)` anywhere in the module (an app factory's too)."""
        if self._flask_apps is not None:
            return self._flask_apps
        found: set[str] = set()
        self._flask_apps = found
        for node in statements(self.tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and ast_dotted(node.value.func) in ("Flask", "flask.Flask")
            ):
                found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        return found

    def _via_alias(self, view: ast.expr, call: ast.Call) -> tuple[str, str] | None:
        options = {k.arg for k in call.keywords}
        if options - {"rule", "endpoint", "view_func", "methods", "strict_slashes"}:
            return None
        if isinstance(view, ast.Call) and _attribute(view.func) == "as_view":
            assert isinstance(view.func, ast.Attribute)
            if len(view.args) != 1 or view.keywords:
                return None
            view = view.func.value
        written = ast_dotted(view)
        if written is None or "." not in written:
            return None
        alias = written.split(".")[0]
        imported = self.package.imports(self.module).get(alias)
        if imported is None or imported[1] is not None or written.count(".") != 1:
            return None
        return alias, written

    def helper_call(self, call: ast.Call, scope: str | None) -> list[Registration]:
        """A call of the project's own helper that registers its arguments."""
        if not isinstance(call.func, ast.Name | ast.Attribute):
            return []
        target = self._helper(call.func)
        if target is None:
            return []
        bound = dict(target.defaults)
        for name, argument in zip(target.params, call.args, strict=False):
            if not isinstance(argument, ast.Starred):
                bound[name] = argument
        for keyword in call.keywords:
            if keyword.arg is not None:
                bound[keyword.arg] = keyword.value
        found: list[Registration] = []
        for inner, loops in target.calls:
            found += self.registration(
                inner,
                scope,
                loops,
                bound,
                view_module=self.module,
                helper=target.name,
                line=call.lineno,
            )
        return found

    def _helper(self, func: ast.expr) -> Helper | None:
        if isinstance(func, ast.Name):
            view = self.package.named(self.module, func.id)
        else:
            view = self.package.resolve(self.module, func)
        if view is None or view.kind != "function":
            return None
        return self.package.helper(view.module, view.name)

    def exposed(self) -> list[Registration]:
        """Flask-Admin's `@expose(url, methods=...)` methods and `x = expose(url)(function)`."""
        found: list[Registration] = []
        definitions = self.package.definitions(self.module)
        for node in self.tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    for decorator in item.decorator_list:
                        if (
                            isinstance(decorator, ast.Call)
                            and ast_dotted(decorator.func) == "expose"
                        ):
                            view = View(self.module, item.name, "function", item.lineno)
                            found.append(self._expose(decorator, view, f"{node.name}.{item.name}"))
                elif (
                    isinstance(item, ast.Assign)
                    and isinstance(item.value, ast.Call)
                    and isinstance(item.value.func, ast.Call)
                    and ast_dotted(item.value.func.func) == "expose"
                    and item.value.args
                    and isinstance(item.value.args[0], ast.Name)
                ):
                    function = definitions.get(item.value.args[0].id)
                    if function is not None:
                        found.append(self._expose(item.value.func, function, function.name))
        return found

    def _expose(self, decorator: ast.Call, view: View, symbol: str) -> Registration:
        url = _string(_argument(decorator, 0, "url"))
        methods = _methods(_argument(decorator, None, "methods")) or ("GET",)
        line = decorator.lineno
        return Registration(
            "expose", self.module, line, None, "expose", url, None, methods, view, symbol=symbol
        )


def helper_in(package: Package, module: ModulePath, name: str) -> Helper | None:
    for node in package.trees[module].body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            params = tuple(a.arg for a in [*node.args.posonlyargs, *node.args.args])
            params += tuple(a.arg for a in node.args.kwonlyargs)
            defaults = dict(
                zip(
                    [a.arg for a in [*node.args.posonlyargs, *node.args.args]][
                        len(node.args.posonlyargs) + len(node.args.args) - len(node.args.defaults) :
                    ],
                    node.args.defaults,
                    strict=True,
                )
            )
            calls = tuple(
                (call, loops)
                for call, _, loops, function in _calls(node, inside=node)
                if function is node and _registers_a_parameter(call, node, loops)
            )
            return Helper(module, name, params, defaults, calls) if calls else None
    return None


def _calls(
    root: ast.AST, inside: ast.FunctionDef | None = None
) -> Iterator[tuple[ast.Call, str | None, dict[str, ast.expr], ast.FunctionDef | None]]:
    """Every call with the name of the outermost function around it, the `for` loops around it
    (loop variable -> iterable), and the innermost function."""

    def visit(
        node: ast.AST,
        scope: str | None,
        loops: dict[str, ast.expr],
        function: ast.FunctionDef | None,
    ) -> Iterator[tuple[ast.Call, str | None, dict[str, ast.expr], ast.FunctionDef | None]]:
        if isinstance(node, ast.Call):
            yield node, scope, loops, function
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node is not root:
            scope = scope or node.name
            function = node if isinstance(node, ast.FunctionDef) else function
            loops = {}
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            loops = {**loops, node.target.id: node.iter}
        for child in ast.iter_child_nodes(node):
            yield from visit(child, scope, loops, function)

    start_scope = inside.name if inside is not None else None
    yield from visit(root, start_scope, {}, inside)


def _registers_a_parameter(
    call: ast.Call, function: ast.FunctionDef, loops: dict[str, ast.expr]
) -> bool:
    """Whether a registering call in `function` takes its rule or view from a parameter."""
    params = {a.arg for a in [*function.args.posonlyargs, *function.args.args]}
    params |= {a.arg for a in function.args.kwonlyargs}
    if _attribute(call.func) == "add_url_rule":
        used = [_argument(call, 0, "rule"), _argument(call, 2, "view_func")]
    elif isinstance(call.func, ast.Call) and _attribute(call.func.func) == "route":
        used = [_argument(call.func, 0, "rule"), call.args[0] if call.args else None]
    else:
        return False
    for node in used:
        if isinstance(node, ast.Name) and node.id in loops:
            node = loops[node.id]
        if isinstance(node, ast.Name) and node.id in params:
            return True
    return False
