"""View decorators that only guard (`@admin_required`) -> route dependencies.

A decorator defined in the module whose wrapper runs some statements and then
`return view(*args, **kwargs)`:

    def admin_required(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.is_admin:
                abort(403)
            return view(*args, **kwargs)
        return wrapped

becomes a dependency running the same statements (with the login dependency when the wrapper
was `@login_required`, `current_user` -> its `user` parameter; a `return response` in the guard,
like flaskr's `return redirect(url_for("auth.login"))`, answers with that response), and each
route it decorated gets `dependencies=[Depends(admin_required)]`, in whichever module of the
package the route is (`from .auth import login_required`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import libcst as cst

from codemods.engine.context import ModuleContext, add_import
from codemods.engine.edit import expr, kwarg
from codemods.engine.nodes import dotted_name, uses_name
from codemods.engine.package_files import python_files, stamps
from codemods.engine.parsed import parse_shared
from codemods.engine.rule import Rule
from codemods.engine.runner import is_test_module
from codemods.flask.analysis import analysis_of
from codemods.flask.facts import LoginFacts, RouteFacts
from codemods.flask.tables.responses import RUNTIME

LOGIN_DECORATORS = ("login_required", "flask_login.login_required")
WRAPS = ("wraps", "functools.wraps")


class Guard:
    """What a guard decorator becomes: its statements and whether it needs the login."""

    def __init__(self, statements: list[cst.BaseStatement], login: bool) -> None:
        self.statements = statements
        self.login = login


def passes_through(statement: cst.BaseStatement, view: str, args: set[str]) -> bool:
    """`return view(*args, **kwargs)`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if not isinstance(small, cst.Return) or not isinstance(small.value, cst.Call):
        return False
    call = small.value
    if dotted_name(call.func) != view:
        return False
    return all(a.star and dotted_name(a.value) in args for a in call.args)


def without_docstring(body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    first = body[0] if body else None
    if (
        isinstance(first, cst.SimpleStatementLine)
        and isinstance(first.body[0], cst.Expr)
        and isinstance(first.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    ):
        return body[1:]
    return body


def guard_of(function: cst.FunctionDef) -> Guard | None:
    """The guard a decorator definition stands for, or None when it is something else."""
    params = function.params
    extra = isinstance(params.star_arg, cst.Param) or params.star_kwarg or params.kwonly_params
    if len(params.params) != 1 or extra:
        return None
    view = params.params[0].name.value
    body = without_docstring(list(getattr(function.body, "body", [])))
    if len(body) != 2 or not isinstance(body[0], cst.FunctionDef):
        return None
    wrapper = body[0]
    returned = body[1]
    if not (
        isinstance(returned, cst.SimpleStatementLine)
        and isinstance(returned.body[0], cst.Return)
        and dotted_name(returned.body[0].value or cst.Name("None")) == wrapper.name.value
    ):
        return None
    login = False
    for decorator in wrapper.decorators:
        target = decorator.decorator
        name = dotted_name(target.func if isinstance(target, cst.Call) else target)
        if name in LOGIN_DECORATORS:
            login = True
        elif name not in WRAPS:
            return None
    star = wrapper.params.star_arg
    args = {p.name.value for p in (star, wrapper.params.star_kwarg) if isinstance(p, cst.Param)}
    statements = without_docstring(list(getattr(wrapper.body, "body", [])))
    if not statements or not passes_through(statements[-1], view, args):
        return None
    guard = statements[:-1]
    if any(uses_name(s, name) for s in guard for name in (*args, view)):
        return None
    return Guard(guard, login)


class ReturnsAnswer(cst.CSTTransformer):
    """`return response` in a guard -> `raise LegacyResponse(make_response(response))`: a
    dependency answers by raising (its return value is not the route's answer)."""

    def __init__(self) -> None:
        self.changed = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Return(
        self, original_node: cst.Return, updated_node: cst.Return
    ) -> cst.BaseSmallStatement:
        if updated_node.value is None:
            return updated_node
        self.changed = True
        answer = cst.Call(cst.Name("make_response"), [cst.Arg(updated_node.value)])
        return cst.Raise(exc=cst.Call(cst.Name("LegacyResponse"), [cst.Arg(answer)]))


def package_guards(root: Path) -> frozenset[str]:
    """The names of the guard decorators defined anywhere in the package under `root`, its own
    tests excepted (not application code: the codemod does not convert them)."""
    files = [f for f in python_files(root) if not is_test_module(f.path.relative_to(root))]
    return _scan_guards(stamps(files))


@functools.lru_cache(maxsize=16)
def _scan_guards(stamps: tuple[tuple[str, int], ...]) -> frozenset[str]:
    found: set[str] = set()
    for path_text, _ in stamps:
        source = Path(path_text).read_text(encoding="utf-8", errors="replace")
        if "**" not in source:
            continue
        try:
            module = parse_shared(source)  # the run's conversion of the module takes it
        except cst.ParserSyntaxError:
            continue
        found |= {
            s.name.value
            for s in module.body
            if isinstance(s, cst.FunctionDef) and guard_of(s) is not None
        }
    return frozenset(found)


class CurrentUser(cst.CSTTransformer):
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if original_node.value == "current_user":
            return updated_node.with_changes(value="user")
        return updated_node


class GuardsRule(Rule):
    name = "guards"
    DESCRIPTION = "Guard decorators (checks, then call the view) -> route dependencies."
    # the wrapper passes `**kwargs` on, whatever the names; or the guard is imported
    triggers = ("**", "from .")
    needs_handlers = True
    requires = ("routes",)
    uses = ("login",)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.guards: dict[str, Guard] = {}
        self.imported: set[str] = set()  # guards of other modules of the package

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value not in self.handlers:
                guard = guard_of(statement)
                if guard is not None:
                    self.guards[statement.name.value] = guard
        self.imported = relative_imports(node) & self.package_guards()

    def package_guards(self) -> frozenset[str]:
        parts = self.state.module_path
        filename = self.context.filename
        if not parts or not filename or not Path(filename).is_file():
            return frozenset()
        return package_guards(Path(filename).resolve().parents[len(parts) - 1])

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # both kinds of functions are rewritten whole in leave_FunctionDef

    def login_dependency(self) -> str:
        views = analysis_of(self.state).login_views
        names = self.read(RouteFacts).blueprint_names
        view = views.get("")
        for blueprint in names.values():
            if blueprint in views:
                view = views[blueprint]
                break
        self.use("fastapi", "Depends")
        source = self.read(LoginFacts).source
        add_import(self.context, source, "login_required", "require_login")
        return f'require_login("{view}")' if view else "require_login()"

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        name = original_node.name.value
        if name in self.guards:
            return self.dependency(updated_node, self.guards[name])
        if name in self.handlers:
            return self.guarded_route(updated_node)
        return updated_node

    def dependency(self, function: cst.FunctionDef, guard: Guard) -> cst.FunctionDef:
        body = cst.IndentedBlock(body=guard.statements or [cst.SimpleStatementLine([cst.Pass()])])
        answers = ReturnsAnswer()
        returned = body.visit(answers)
        assert isinstance(returned, cst.IndentedBlock)
        if answers.changed:
            body = returned
            self.use(RUNTIME, "LegacyResponse")
            self.use(RUNTIME, "make_response")
        needs_user = guard.login or any(uses_name(s, "current_user") for s in guard.statements)
        params: list[cst.Param] = []
        if needs_user:
            self.use("typing", "Annotated")
            self.use("typing", "Any")
            if guard.login:
                dependency = self.login_dependency()
            else:
                add_import(
                    self.context,
                    self.read(LoginFacts).source,
                    "current_user",
                    "request_user",
                )
                self.use("fastapi", "Depends")
                dependency = "request_user"
            params.append(
                cst.Param(
                    cst.Name("user"),
                    annotation=cst.Annotation(expr(f"Annotated[Any, Depends({dependency})]")),
                )
            )
            visited = body.visit(CurrentUser())
            assert isinstance(visited, cst.IndentedBlock)
            body = visited
        self.findings.add("guard", function.name.value)
        return function.with_changes(
            params=cst.Parameters(params=params),
            body=body,
            returns=cst.Annotation(cst.Name("None")),
        )

    def guarded_route(self, function: cst.FunctionDef) -> cst.FunctionDef:
        guards = {*self.guards, *self.imported}
        used = [d for d in function.decorators if dotted_name(d.decorator) in guards]
        if not used:
            return function
        self.use("fastapi", "Depends")
        router = self.handlers[function.name.value]
        names = [dotted_name(d.decorator) for d in used]
        decorators = []
        for decorator in function.decorators:
            if decorator in used:
                continue
            call = decorator.decorator
            if isinstance(call, cst.Call) and (dotted_name(call.func) or "").split(".")[0] == (
                router
            ):
                decorator = decorator.with_changes(decorator=with_dependencies(call, names))
            decorators.append(decorator)
        return function.with_changes(decorators=decorators)


def with_dependencies(call: cst.Call, names: list[str | None]) -> cst.Call:
    """The route decorator call with `Depends(name)` added to its `dependencies=[...]`."""
    added = [cst.Element(expr(f"Depends({n})")) for n in names if n]
    args = list(call.args)
    for index, arg in enumerate(args):
        keyword_name = arg.keyword.value if arg.keyword is not None else None
        if keyword_name == "dependencies" and isinstance(arg.value, cst.List):
            elements = [e.with_changes(comma=cst.MaybeSentinel.DEFAULT) for e in arg.value.elements]
            args[index] = arg.with_changes(value=cst.List([*elements, *added]))
            return call.with_changes(args=args)
    return call.with_changes(args=[*args, kwarg("dependencies", cst.List(added))])


def relative_imports(module: cst.Module) -> set[str]:
    """Names a module imports from its own package (`from .auth import login_required`)."""
    found: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.ImportFrom) or not small.relative:
                continue
            if isinstance(small.names, cst.ImportStar):
                continue
            for alias in small.names:
                local = alias.asname.name if alias.asname else alias.name
                if isinstance(local, cst.Name):
                    found.add(local.value)
    return found
