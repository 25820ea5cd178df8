"""Django REST framework routers, read with `ast`: the URL patterns `router.urls` gives, as DRF's
`SimpleRouter.get_urls()`/`DefaultRouter.get_urls()` make them, so that each one is a route of
the report and of the generated router.

    router = DefaultRouter()
    router.register(r"posts", PostViewSet)            # basename from queryset: "post"
    urlpatterns = [path("api/", include(router.urls))]

gives, in DRF's order: `^posts/$` (`post-list`: list, create), each `@action(detail=False)`
(`^posts/<url_path>/$`, `post-<url_name>`), `^posts/(?P<pk>[^/.]+)/$` (`post-detail`: retrieve,
update, partial_update, destroy), each `@action(detail=True)`; a route only when the viewset has
one of its actions. A DefaultRouter adds the API root (`''`, `api-root`) and, after each
pattern, its format-suffix twin (`^posts\\.(?P<format>[a-z0-9]+)/?$`).

The generated route serves DRF's own view for that pattern: `drf_route(drf_router, "post-list")`
(`codemods/runtime/django/drf.py`) takes it from the router the generated URLconf still builds
(its `register` calls are kept; a router named `router` is renamed `drf_router`, since the
module's FastAPI router takes that name), so the viewset's `as_view(actions, basename=,
detail=, suffix=, **action kwargs)` is exactly DRF's.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

ROUTER_CLASSES = frozenset({"SimpleRouter", "DefaultRouter"})
RENAMED = {"router": "drf_router"}  # the FastAPI router of the generated URLconf is `router`
LIST_ACTIONS = {"get": "list", "post": "create"}
DETAIL_ACTIONS = {
    "get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy",
}  # fmt: skip
# DRF's viewsets and mixins, and the router actions each one brings
VIEWSET_ACTIONS: dict[str, tuple[str, ...]] = {
    "ViewSet": (),
    "GenericViewSet": (),
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}
ACTIONS = frozenset(LIST_ACTIONS.values()) | frozenset(DETAIL_ACTIONS.values())
FORMAT_SUFFIX = r"\.(?P<format>[a-z0-9]+)/?$"
DEFAULT_LOOKUP = "[^/.]+"


@dataclass(frozen=True)
class RouterRoute:
    route: str  # a regex, as DRF writes it (`^posts/(?P<pk>[^/.]+)/$`), or a path() route
    regex: bool
    name: str
    view_code: str  # `drf_route(drf_router, 'post-list')`
    viewset_code: str  # the viewset as written in register()
    by_hand: str | None = None  # why it is not registered by the codemod (reported manual)


@dataclass(frozen=True)
class ViewSetFacts:
    """What a viewset class says of itself, through its bases of SRC."""

    actions: frozenset[str]  # list, create, ... that it has
    extra: tuple[tuple[str, bool, str, str], ...]  # @action: (name, detail, url_path, url_name)
    lookup: str  # the lookup group, `(?P<pk>[^/.]+)`
    model: str | None  # the queryset's model (`Post` of `Post.objects.all()`)


def router_variables(tree: ast.Module) -> dict[str, str]:
    """Module-level `name = DefaultRouter(...)`/`SimpleRouter(...)`: name -> its class."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
        ):
            kind = ast.unparse(node.value.func).rsplit(".", 1)[-1]
            if kind in ROUTER_CLASSES:
                found[node.targets[0].id] = kind
    return found


def generated_name(variable: str) -> str:
    return RENAMED.get(variable, variable)


def router_routes(
    tree: ast.Module,
    variable: str,
    viewset_facts: Callable[[str], ViewSetFacts | None],
) -> list[RouterRoute]:
    """The patterns of `variable.urls`, in DRF's order; `viewset_facts` reads a viewset written
    as in `register()` (None: not a class of SRC)."""
    kind = router_variables(tree).get(variable)
    if kind is None:
        return []
    call = _router_call(tree, variable)
    slash = "" if _false(_keyword(call, "trailing_slash")) else "/"
    routes: list[RouterRoute] = []
    for registered in _registrations(tree, variable):
        routes += _viewset_routes(registered, variable, slash, viewset_facts)
    top = {id(call) for call in _registrations(tree, variable)}
    for nested in _all_registrations(tree, variable):
        if id(nested) not in top:  # under an if, a loop or in a function: not read
            why = f"{ast.unparse(nested)} is not at the module's top level: register it by hand"
            routes.append(RouterRoute("^...", True, "", "", "", why))
    if kind == "DefaultRouter":
        name = "api-root"
        code = f"drf_route({generated_name(variable)}, {name!r})"
        routes.append(RouterRoute("", False, name, code, ""))
        if not _false(_keyword(call, "include_format_suffixes")):
            routes = _with_format_suffixes(routes)
    return routes


def _viewset_routes(
    registered: ast.Call,
    variable: str,
    slash: str,
    viewset_facts: Callable[[str], ViewSetFacts | None],
) -> list[RouterRoute]:
    prefix_node = registered.args[0] if registered.args else _keyword(registered, "prefix")
    prefix = _string(prefix_node)
    viewset = registered.args[1] if len(registered.args) > 1 else _keyword(registered, "viewset")
    if prefix is None or viewset is None:  # its patterns are not known: one entry for them
        why = f"{ast.unparse(registered)}: a prefix or viewset that is not written out"
        return [RouterRoute("^...", True, "", "", "", f"{why}: register it by hand")]
    viewset_code = ast.unparse(viewset)
    facts = viewset_facts(viewset_code)
    basename_node = registered.args[2] if len(registered.args) > 2 else None
    basename = _string(basename_node or _keyword(registered, "basename"))
    if facts is not None and basename is None and facts.model is not None:
        basename = facts.model.lower()
    if facts is None or basename is None:
        why = (
            f"the viewset {viewset_code} is not a class of SRC the codemod reads"
            if facts is None
            else f"the basename of {viewset_code} is not a literal nor its queryset's model"
        )
        unread = f"^{prefix}/..."  # its patterns are not known: one entry stands for them
        return [RouterRoute(unread, True, "", "", viewset_code, f"{why}: register it by hand")]
    routes = []

    def add(url: str, name: str, has: bool) -> None:
        if not has:
            return
        regex = url.format(prefix=prefix, lookup=facts.lookup, trailing_slash=slash)
        if not prefix and regex.startswith("^/"):
            regex = "^" + regex[2:]
        code = f"drf_route({generated_name(variable)}, {name!r})"
        routes.append(RouterRoute(regex, True, name, code, viewset_code))

    add("^{prefix}{trailing_slash}$", f"{basename}-list", bool(facts.actions & {"list", "create"}))
    for _, _, url_path, url_name in (e for e in facts.extra if not e[1]):
        add(f"^{{prefix}}/{url_path}{{trailing_slash}}$", f"{basename}-{url_name}", True)
    detail = {"retrieve", "update", "partial_update", "destroy"}
    add("^{prefix}/{lookup}{trailing_slash}$", f"{basename}-detail", bool(facts.actions & detail))
    for _, _, url_path, url_name in (e for e in facts.extra if e[1]):
        add(f"^{{prefix}}/{{lookup}}/{url_path}{{trailing_slash}}$", f"{basename}-{url_name}", True)
    return routes


def joined_route(
    include: str, include_regex: bool, route: str, route_regex: bool
) -> tuple[str, bool]:
    """One route for `path(include, include(router.urls))`'s route followed by a router's
    (`api/` and `^posts/$` -> `^api/posts/$`): a regex when either is one."""
    if not include_regex and not route_regex:
        return include + route, False
    head = include if include_regex else "^" + re.escape(include)
    tail = route.removeprefix("^") if route_regex else re.escape(route) + "$"
    return head + tail, True


def _with_format_suffixes(routes: list[RouterRoute]) -> list[RouterRoute]:
    """DRF's `format_suffix_patterns`: each pattern, then its `.json`-style twin."""
    out = []
    for route in routes:
        out.append(route)
        if route.regex:
            regex = route.route.rstrip("$").rstrip("/") + FORMAT_SUFFIX
            out.append(RouterRoute(regex, True, route.name, route.view_code, route.viewset_code))
        else:
            twin = route.route.rstrip("$").rstrip("/") + "<drf_format_suffix:format>"
            why = (
                "DRF's drf_format_suffix path converter (`\\.[a-z0-9]+/?`, the value stripped "
                "of '.' and '/'): not converted yet"
            )
            out.append(RouterRoute(twin, False, route.name, route.view_code, "", why))
    return out


def viewset_facts_of(
    node: ast.ClassDef, bases: list[ViewSetFacts | str], names: dict[str, str]
) -> ViewSetFacts:
    """A viewset class's facts, from its body and its bases' (facts of SRC classes, or the
    dotted names of outside ones)."""
    actions: set[str] = set()
    extra: dict[str, tuple[str, bool, str, str]] = {}
    lookup_parts: dict[str, str] = {}
    model: str | None = None
    for base in bases:
        if isinstance(base, ViewSetFacts):
            actions |= base.actions
            extra.update({e[0]: e for e in base.extra})
            model = model or base.model
            lookup_parts.setdefault("lookup", base.lookup)
        else:
            actions.update(VIEWSET_ACTIONS.get(base.rsplit(".", 1)[-1], ()))
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            if item.name in ACTIONS:
                actions.add(item.name)
            found = _action(item)
            if found is not None:
                extra[item.name] = found
        elif isinstance(item, ast.Assign) and len(item.targets) == 1:
            target = item.targets[0]
            if not isinstance(target, ast.Name):
                continue
            value = _string(item.value)
            if target.id in ("lookup_field", "lookup_url_kwarg", "lookup_value_regex") and value:
                lookup_parts[target.id] = value
            elif target.id == "queryset":
                model = _queryset_model(item.value) or model
    lookup = lookup_parts.get("lookup", f"(?P<pk>{DEFAULT_LOOKUP})")
    if {"lookup_field", "lookup_url_kwarg", "lookup_value_regex"} & set(lookup_parts):
        kwarg = lookup_parts.get("lookup_url_kwarg") or lookup_parts.get("lookup_field", "pk")
        value = lookup_parts.get("lookup_value_regex", DEFAULT_LOOKUP)
        lookup = f"(?P<{kwarg}>{value})"
    ordered = tuple(extra[name] for name in sorted(extra))  # DRF: inspect.getmembers' order
    return ViewSetFacts(frozenset(actions), ordered, lookup, model)


def _action(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, bool, str, str] | None:
    """`@action(detail=..., url_path=..., url_name=...)`: (name, detail, url_path, url_name)."""
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        if ast.unparse(decorator.func).rsplit(".", 1)[-1] != "action":
            continue
        detail = _keyword(decorator, "detail")
        is_detail = isinstance(detail, ast.Constant) and detail.value is True
        url_path = _string(_keyword(decorator, "url_path")) or function.name
        url_name = _string(_keyword(decorator, "url_name")) or function.name.replace("_", "-")
        return function.name, is_detail, url_path, url_name
    return None


def _queryset_model(value: ast.expr) -> str | None:
    """`Post` of `Post.objects.all()` / `Post.objects.filter(...)...` (DRF's basename is its
    `_meta.object_name.lower()`)."""
    node = value
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            inner = node.value
            return inner.id if isinstance(inner, ast.Name) else None
        node = node.func if isinstance(node, ast.Call) else node.value
    return None


def _router_call(tree: ast.Module, variable: str) -> ast.Call | None:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == variable for t in node.targets)
            and isinstance(node.value, ast.Call)
        ):
            return node.value
    return None


def _registrations(tree: ast.Module, variable: str) -> list[ast.Call]:
    """`variable.register(...)` calls at module level, in order."""
    return [
        node.value
        for node in tree.body
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "register"
        and isinstance(node.value.func.value, ast.Name)
        and node.value.func.value.id == variable
    ]


def _all_registrations(tree: ast.Module, variable: str) -> list[ast.Call]:
    """Every `variable.register(...)` call of the module, nested ones included."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "register"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == variable
    ]


def _keyword(call: ast.Call | None, name: str) -> ast.expr | None:
    if call is None:
        return None
    return next((k.value for k in call.keywords if k.arg == name), None)


def _false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
