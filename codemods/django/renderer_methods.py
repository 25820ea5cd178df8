"""A view's own rendering methods: a method of the class or of its mixins of SRC that only hands
its template and context to Django's `render()`, so that a handler's rows given to it are read
as a `render(...)` call's are (function_templates.py), not left unfollowed.

    class ExplorerContextMixin:
        def render_template(self, template, ctx):
            ctx.update(self.gen_ctx())
            return render(self.request, template, ctx)

    class QueryFavoritesView(PermissionRequiredMixin, ExplorerContextMixin, View):
        def get(self, request):
            favorites = QueryFavorite.objects.filter(user=request.user)
            return self.render_template("explorer/query_favorites.html", {"favorites": favorites})

Such a method takes `self`, a template and a context (no defaults, no `*`), and its body is
`ctx.update(...)` calls (values added beside the rows; the update's argument names neither
parameter) then `return render(self.request, template, ctx)`, `render` being
`django.shortcuts.render`. The first definition along the bases (depth first, as the mixins'
MRO is) is the one read; a method defined otherwise hides the ones below it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from codemods.django.analysis import DjangoAnalysis, ModulePath
from codemods.django.analysis import _imports as imports_of
from codemods.engine.parsed import parse_ast_shared

RENDER = "django.shortcuts.render"
# (template's position, keyword; context's, keyword), as function_templates.RENDERERS
Renderer = tuple[int, str, int, str]


def renderer_methods(
    analysis: DjangoAnalysis, module: ModulePath, name: str
) -> dict[str, Renderer]:
    """`self.<method>` -> where its template and context are, for the view class `name` of
    `module`: the methods that only render (empty when the project is not read)."""
    found: dict[str, Renderer] = {}
    hidden: set[str] = set()
    _collect(analysis, module, name, found, hidden, set())
    return {f"self.{method}": renderer for method, renderer in found.items()}


def _collect(
    analysis: DjangoAnalysis,
    module: ModulePath,
    name: str,
    found: dict[str, Renderer],
    hidden: set[str],
    seen: set[tuple[ModulePath, str]],
) -> None:
    info = analysis.classes.get((module, name))
    if info is None or (module, name) in seen or analysis.root is None:
        return
    seen.add((module, name))
    tree = _parsed(Path(analysis.root, *module))
    node = next(
        (n for n in (tree.body if tree else []) if isinstance(n, ast.ClassDef) and n.name == name),
        None,
    )
    if tree is None or node is None:
        return
    imports = imports_of(module, tree)
    for member in node.body:
        if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
            method = member.name
            if method in found or method in hidden:
                continue
            renderer = _renderer(member, imports) if isinstance(member, ast.FunctionDef) else None
            if renderer is None:
                hidden.add(method)
            else:
                found[method] = renderer
    for base in info.bases:
        if base.module is not None:
            _collect(analysis, base.module, base.name, found, hidden, seen)


def _parsed(path: Path) -> ast.Module | None:
    try:
        return parse_ast_shared(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None


def _renderer(method: ast.FunctionDef, imports: dict[str, str]) -> Renderer | None:
    arguments = method.args
    if (
        arguments.posonlyargs
        or arguments.vararg
        or arguments.kwonlyargs
        or arguments.kwarg
        or arguments.defaults
        or method.decorator_list
        or len(arguments.args) != 3
    ):
        return None
    template, context = arguments.args[1].arg, arguments.args[2].arg
    *updates, last = method.body
    for statement in updates:
        if not _adds_to(statement, context, {template, context}):
            return None
    if not (isinstance(last, ast.Return) and isinstance(last.value, ast.Call)):
        return None
    call = last.value
    if not (isinstance(call.func, ast.Name) and imports.get(call.func.id) == RENDER):
        return None
    if call.keywords or [ast.unparse(a) for a in call.args] != ["self.request", template, context]:
        return None
    return (0, template, 1, context)


def _adds_to(statement: ast.stmt, context: str, parameters: set[str]) -> bool:
    """`ctx.update(<an expression naming neither parameter>)`."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    func = call.func
    given = [*call.args, *call.keywords]
    named = {n.id for a in given for n in ast.walk(a) if isinstance(n, ast.Name)}
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "update"
        and isinstance(func.value, ast.Name)
        and func.value.id == context
        and not named & parameters
    )
